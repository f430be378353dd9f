from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.clients.helpers import delete_client


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    deleted = delete_client(client, params["workspace_id"], params["client_id"])
    return {"id": deleted.id, "name": deleted.name, "deleted": True}
