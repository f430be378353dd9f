from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.common.helpers import answered_about
from clockify_actions.resources.time_entries.helpers import entry_output
from clockify_actions.resources.time_entries.wire import TimeEntryDetail


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    workspace_id, entry_id = params["workspace_id"], params["time_entry_id"]
    hydrated = params.get("hydrated", False)
    path = client.path("workspaces", workspace_id, "time-entries", entry_id)
    entry = client.get(path, TimeEntryDetail, {"hydrated": True} if hydrated else None)
    result = entry_output(entry, hydrated=hydrated)
    asked = {"id": entry_id, "workspace_id": workspace_id}
    answered_about(result, asked, "time entry", f"GET {path}")
    return result
