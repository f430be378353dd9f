from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.clients.helpers import client_named, client_output, create_client
from clockify_actions.resources.common.lookup import clean_name, find_or_create


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    workspace_id, name = params["workspace_id"], params["name"]
    item, created = find_or_create(
        lambda: client_named(client, workspace_id, name),
        lambda: create_client(client, workspace_id, {"name": clean_name(name)}),
    )
    return {**client_output(item), "created": created}
