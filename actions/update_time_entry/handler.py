from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.time_entries.helpers import UPDATABLE, entry_output, update_entry


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    changes = {name: params[name] for name in UPDATABLE if name in params}
    if not changes:
        raise invalid("", f"give at least one field to change: {', '.join(UPDATABLE)}")
    # Clockify's PUT replaces the whole entry: it is read, changed and sent back whole.
    entry = update_entry(client, params["workspace_id"], params["time_entry_id"], changes)
    return entry_output(entry)
