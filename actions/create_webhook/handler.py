from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.webhooks.helpers import webhook_output
from clockify_actions.resources.webhooks.wire import Webhook


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    workspace_id = params["workspace_id"]
    source_type = params.get("trigger_source_type", "WORKSPACE_ID")
    sources = params.get("trigger_source") or (
        [workspace_id] if source_type == "WORKSPACE_ID" else []
    )
    body = {
        "name": params["name"],
        "url": params["url"],
        "webhookEvent": params["event"],
        "triggerSourceType": source_type,
        "triggerSource": sources,
    }
    webhook = client.post(client.path("workspaces", workspace_id, "webhooks"), body, Webhook)
    return {"webhook": webhook_output(webhook)}
