import re
from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import ActionError, ErrorType

# Clockify's refusal of an active project, in English and in Spanish-locale accounts
# (docs/clockify-api.md §19.6).
_ACTIVE = re.compile(r"active project|proyecto activo", re.IGNORECASE)


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    project_id = params["project_id"]
    path = client.path("workspaces", params["workspace_id"], "projects", project_id)
    try:
        client.delete(path)
    except ActionError as error:
        if error.type is ErrorType.REJECTED and _ACTIVE.search(error.message):
            raise error.reworded(
                f"Project {project_id} is active, and Clockify deletes only archived "
                "projects: archive it first (update_project with archived: true), then "
                f"delete it. Nothing was deleted. (Clockify: {error.message})"
            ) from error
        raise
    return {"id": project_id, "deleted": True}
