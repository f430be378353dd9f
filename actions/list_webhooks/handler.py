from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.webhooks.helpers import webhook_output
from clockify_actions.resources.webhooks.wire import Webhooks


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    # An object, not an array, and not paginated (docs/clockify-api.md §21).
    found = client.get(client.path("workspaces", params["workspace_id"], "webhooks"), Webhooks)
    webhooks = [webhook_output(w) for w in found.webhooks]
    count = found.workspace_webhook_count
    return {"count": len(webhooks) if count is None else count, "webhooks": webhooks}
