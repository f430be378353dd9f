from typing import Any

from clockify_actions.clockify import ClockifyClient


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    # What Clockify answers a delete with is unknown (docs/clockify-api.md §21): not read.
    webhook_id = params["webhook_id"]
    client.delete(client.path("workspaces", params["workspace_id"], "webhooks", webhook_id))
    return {"deleted": True, "id": webhook_id}
