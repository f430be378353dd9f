from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.common import lookup
from clockify_actions.resources.projects.helpers import look_up_project, project_result
from clockify_actions.resources.projects.wire import Project


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    workspace_id, name = params["workspace_id"], params["name"]
    client_id = params.get("client_id")

    def create() -> Project:
        body: dict[str, Any] = {"name": lookup.clean_name(name)}
        if client_id:
            body["clientId"] = client_id
        if "is_private" in params:
            body["isPublic"] = not params["is_private"]
        return client.post(client.path("workspaces", workspace_id, "projects"), body, Project)

    project, created = lookup.find_or_create(
        lambda: look_up_project(client, workspace_id, name, client_id), create
    )
    return {**project_result(project), "created": created}
