from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import ActionError, ErrorType, invalid
from clockify_actions.resources.common.helpers import answered_about, applied, written
from clockify_actions.resources.projects.wire import ProjectDetail
from clockify_actions.resources.rates.helpers import member_output, rate_body
from clockify_actions.resources.rates.wire import Membership, RatedWorkspace
from clockify_actions.resources.rates.writes import RATE_ROUTES, put_rates


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    if not any(name in params for name in RATE_ROUTES):
        raise invalid("", "give hourly_rate, cost_rate or both")
    workspace_id, user_id = params["workspace_id"], params["user_id"]
    project_id = params.get("project_id")
    owner = ("projects", project_id) if project_id else ()

    def put(name: str, segment: str) -> tuple[list[Membership] | None, int]:
        path = client.path("workspaces", workspace_id, *owner, "users", user_id, segment)
        body = rate_body(params[name], params.get("since"))
        asked = {"id": project_id or workspace_id, "workspace_id": workspace_id}
        if project_id:
            project, writes = written(client, lambda: client.put(path, body, ProjectDetail))
            seen = {"id": project.id, "workspace_id": project.workspace_id}
            answered_about(seen, asked, "project", f"PUT {path}", writes=writes)
            return project.memberships, writes
        workspace, writes = written(client, lambda: client.put(path, body, RatedWorkspace))
        seen = {"id": workspace.id, "workspace_id": workspace.id}
        answered_about(seen, asked, "workspace", f"PUT {path}", writes=writes)
        return workspace.memberships, writes

    memberships, writes = put_rates(params, put)
    found = [m for m in memberships or [] if m.user_id == user_id]
    if not found:
        where = f"project {project_id}" if project_id else f"workspace {workspace_id}"
        raise applied(
            ActionError(
                ErrorType.CONTRACT,
                f"Clockify accepted the rate, but its answer has no membership of user "
                f"{user_id} in {where} to read it from. Look at the user's rates in "
                "Clockify before running this again.",
            ),
            writes,
        )
    return {**member_output(found[0]), "workspace_id": workspace_id, "project_id": project_id}
