from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.clockify.wire import TimeEntryDetail
from clockify_actions.time_entries import entry_output


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    hydrated = params.get("hydrated", False)
    path = client.path(
        "workspaces", params["workspace_id"], "time-entries", params["time_entry_id"]
    )
    entry = client.get(path, TimeEntryDetail, {"hydrated": True} if hydrated else None)
    return entry_output(entry, hydrated=hydrated)
