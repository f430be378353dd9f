from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.clients.helpers import client_output, list_clients


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    query: dict[str, Any] = {key: params[key] for key in ("name", "archived") if key in params}
    clients = list_clients(client, params["workspace_id"], query)
    return {"count": len(clients), "clients": [client_output(c) for c in clients]}
