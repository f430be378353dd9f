from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.webhooks.helpers import webhook_output
from clockify_actions.resources.webhooks.wire import Webhook


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    path = client.path("workspaces", params["workspace_id"], "webhooks", params["webhook_id"])
    return {"webhook": webhook_output(client.get(path, Webhook))}
