from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.common.helpers import answered_about
from clockify_actions.resources.projects.helpers import project_result
from clockify_actions.resources.projects.wire import Project


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    workspace_id, project_id = params["workspace_id"], params["project_id"]
    path = client.path("workspaces", workspace_id, "projects", project_id)
    result = project_result(client.get(path, Project))
    answered_about(
        result, {"id": project_id, "workspace_id": workspace_id}, "project", f"GET {path}"
    )
    return result
