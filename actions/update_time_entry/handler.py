from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.clockify.wire import TimeEntryDetail
from clockify_actions.errors import invalid
from clockify_actions.time_entries import UPDATABLE, entry_output, replacement


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    changes = {name: params[name] for name in UPDATABLE if name in params}
    if not changes:
        raise invalid("", f"give at least one field to change: {', '.join(UPDATABLE)}")
    path = client.path(
        "workspaces", params["workspace_id"], "time-entries", params["time_entry_id"]
    )
    # Clockify's PUT replaces the whole entry: read it, apply the changes, send it all back.
    current = client.get(path, TimeEntryDetail)
    updated = client.put(path, replacement(current, changes), TimeEntryDetail)
    return entry_output(updated)
