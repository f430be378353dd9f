from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.clockify.wire import Project
from clockify_actions.projects import project_result


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    path = client.path("workspaces", params["workspace_id"], "projects", params["project_id"])
    return project_result(client.get(path, Project))
