from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.clockify.wire import Project
from clockify_actions.errors import invalid
from clockify_actions.projects import project_result

CHANGEABLE = ("name", "archived", "client_id", "remove_client", "billable", "color", "is_private")


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    if not any(name in params for name in CHANGEABLE):
        raise invalid("", f"give at least one field to change: {', '.join(CHANGEABLE)}")
    if "client_id" in params and params.get("remove_client"):
        raise invalid("/remove_client", "give client_id or remove_client, not both")
    path = client.path("workspaces", params["workspace_id"], "projects", params["project_id"])
    # Clockify's PUT replaces the project: omitted billable and isPublic become false
    # (docs/clockify-api.md §19.2), so the current values are read and sent back.
    current = client.get(path, Project)
    body: dict[str, Any] = {
        "name": params.get("name", current.name),
        "archived": params.get("archived", current.archived),
        "billable": params.get("billable", bool(current.billable)),
        "isPublic": not params["is_private"] if "is_private" in params else bool(current.public),
    }
    color = params.get("color", current.color)
    if color:
        body["color"] = color
    if params.get("remove_client"):
        body["clientId"] = ""  # an empty id takes the project off its client (INFERRED, §19.2)
    elif params.get("client_id", current.client_id):
        body["clientId"] = params.get("client_id", current.client_id)
    return project_result(client.put(path, body, Project))
