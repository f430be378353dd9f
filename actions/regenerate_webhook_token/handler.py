from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.webhooks.helpers import webhook_output
from clockify_actions.resources.webhooks.wire import Webhook


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    workspace_id, webhook_id = params["workspace_id"], params["webhook_id"]
    path = client.path("workspaces", workspace_id, "webhooks", webhook_id, "token")
    # No body; a PATCH is a write, so a lost answer is never followed by a second one,
    # which would replace the token the first one made (docs/clockify-api.md §21).
    return {"webhook": webhook_output(client.patch(path, None, Webhook))}
