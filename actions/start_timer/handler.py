from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.time_entries.helpers import (
    create_time_entry,
    new_entry_fields,
    time_entry_output,
)
from clockify_actions.timeutil import to_wire


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    body = {"start": to_wire(client.now()), **new_entry_fields(params)}
    entry = create_time_entry(client, params["workspace_id"], body, params.get("user_id"))
    return time_entry_output(entry)
