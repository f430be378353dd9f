"""A project's members added or removed (docs/clockify-api.md §19.7).

Both go through `POST …/memberships {userIds, remove}`, which names only the users it
changes: `PATCH …/memberships` replaces the whole list (a member left out is dropped), so
removing one member with it would need the others sent back, their rates and groups
included, and would drop whoever joined in between. Clockify's answer, the full project,
is checked for the change: each added user there, each removed one gone.
"""

from __future__ import annotations

from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import ActionError, ErrorType
from clockify_actions.resources.common.helpers import answered_about, applied, written
from clockify_actions.resources.projects.wire import ProjectDetail
from clockify_actions.resources.rates.helpers import member_output


def members_result(project: ProjectDetail) -> dict[str, Any]:
    return {
        "project_id": project.id,
        "workspace_id": project.workspace_id,
        "members": [member_output(m) for m in project.memberships or []],
    }


def change_members(
    client: ClockifyClient, workspace_id: str, project_id: str, user_ids: list[str], remove: bool
) -> dict[str, Any]:
    path = client.path("workspaces", workspace_id, "projects", project_id, "memberships")
    unique = list(dict.fromkeys(user_ids))
    body: dict[str, Any] = {"userIds": unique, "remove": remove}
    project, writes = written(client, lambda: client.post(path, body, ProjectDetail))
    result = members_result(project)
    asked = {"project_id": project_id, "workspace_id": workspace_id}
    answered_about(result, asked, "project", f"POST {path}", writes=writes)
    members = {m["user_id"] for m in result["members"]}
    wrong = [u for u in unique if (u in members) is remove]
    if wrong:
        state = "still a member" if remove else "not a member"
        raise applied(
            ActionError(
                ErrorType.CONTRACT,
                f"Clockify accepted the change to project {project_id}'s members, but its "
                f"answer shows {', '.join(wrong)} {state}. Look at the project's members "
                "in Clockify before running this again.",
                details=[
                    {"path": f"/user_ids/{user_ids.index(u)}", "message": state} for u in wrong
                ],
            ),
            writes,
        )
    return result
