from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.projects.helpers import CHANGEABLE, project_result, update_project


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    if not any(name in params for name in CHANGEABLE):
        raise invalid("", f"give at least one field to change: {', '.join(CHANGEABLE)}")
    if "client_id" in params and params.get("remove_client"):
        raise invalid("/remove_client", "give client_id or remove_client, not both")
    project = update_project(client, params["workspace_id"], params["project_id"], params)
    return project_result(project)
