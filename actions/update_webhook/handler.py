from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.webhooks.helpers import webhook_output
from clockify_actions.resources.webhooks.wire import Webhook

_CHANGEABLE = ("name", "url", "event", "trigger_source_type", "trigger_source")


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    if not any(name in params for name in _CHANGEABLE):
        raise invalid("", f"give at least one field to change: {', '.join(_CHANGEABLE)}")
    workspace_id = params["workspace_id"]
    source_type = params.get("trigger_source_type")
    if source_type not in (None, "WORKSPACE_ID") and not params.get("trigger_source"):
        raise invalid("/trigger_source", f"give the {source_type} ids whose changes to deliver")
    path = client.path("workspaces", workspace_id, "webhooks", params["webhook_id"])
    # Clockify's PUT requires url, webhookEvent, triggerSourceType and triggerSource
    # (docs/clockify-api.md §21): what the input leaves out is sent back as it is.
    current = client.get(path, Webhook)
    if source_type is None:
        source_type = current.trigger_source_type or "WORKSPACE_ID"
        sources = params.get("trigger_source", current.trigger_source or [])
    else:
        sources = params.get("trigger_source") or [workspace_id]
    body = {
        "name": params.get("name", current.name),
        "url": params.get("url", current.url),
        "webhookEvent": params.get("event", current.webhook_event),
        "triggerSourceType": source_type,
        "triggerSource": sources,
    }
    if body["name"] is None:
        del body["name"]  # optional in the PUT; a webhook made by an add-on may have none
    return {"webhook": webhook_output(client.put(path, body, Webhook))}
