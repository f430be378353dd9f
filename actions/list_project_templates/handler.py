from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.projects.helpers import project_output
from clockify_actions.resources.projects.wire import Project


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    query: dict[str, Any] = {"is-template": True}
    if "archived" in params:
        query["archived"] = params["archived"]
    path = client.path("workspaces", params["workspace_id"], "projects")
    projects = client.get_all(path, Project, query)
    return {"count": len(projects), "projects": [project_output(p) for p in projects]}
