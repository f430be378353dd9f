from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.clients.helpers import client_output, get_client


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    return client_output(get_client(client, params["workspace_id"], params["client_id"]))
