from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.projects.helpers import find_project, project_result


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    project = find_project(
        client,
        params["workspace_id"],
        params["name"],
        params.get("client_id"),
        include_archived=params.get("include_archived", True),
    )
    return project_result(project)
