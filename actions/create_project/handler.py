from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.projects.helpers import project_result
from clockify_actions.resources.projects.wire import Project


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    body: dict[str, Any] = {"name": params["name"]}
    if "client_id" in params:
        body["clientId"] = params["client_id"]
    # Clockify's request field is `isPublic`; without `is_private` it keeps its own default.
    if "is_private" in params:
        body["isPublic"] = not params["is_private"]
    path = client.path("workspaces", params["workspace_id"], "projects")
    if "template_project_id" in params:
        # A copy of a template is its own route, answered 200 (docs/clockify-api.md §19.10).
        body["templateProjectId"] = params["template_project_id"]
        path = client.path("workspaces", params["workspace_id"], "projects", "from-template")
    project = client.post(path, body, Project)
    return project_result(project)
