from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.common.helpers import answered_about
from clockify_actions.resources.time_entries.helpers import entry_output, own_user_id
from clockify_actions.resources.time_entries.wire import TimeEntryDetail


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    workspace_id = params["workspace_id"]
    user_id = params.get("user_id") or own_user_id(client)
    hydrated = params.get("hydrated", False)
    path = client.path("workspaces", workspace_id, "user", user_id, "time-entries")
    query: dict[str, Any] = {"in-progress": True, "page-size": 1}
    if hydrated:
        query["hydrated"] = True
    # Newest first: with several running (possible only where Clockify lets timers
    # overlap) the latest one comes first.
    running = client.get_list(path, TimeEntryDetail, query)
    if not running:
        return {"running": False}
    entry = entry_output(running[0], hydrated=hydrated)
    asked = {"user_id": user_id, "workspace_id": workspace_id}
    answered_about(entry, asked, "user's timer", f"GET {path}")
    return {"running": True, "time_entry": entry}
