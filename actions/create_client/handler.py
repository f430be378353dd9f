from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.clients.helpers import client_output, create_client


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    body: dict[str, Any] = {
        key: params[key] for key in ("name", "email", "address", "note") if key in params
    }
    body["name"] = body["name"].strip()
    return client_output(create_client(client, params["workspace_id"], body))
