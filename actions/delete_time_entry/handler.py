from typing import Any

from clockify_actions.clockify import ClockifyClient


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    path = client.path(
        "workspaces", params["workspace_id"], "time-entries", params["time_entry_id"]
    )
    client.delete(path)
    return {"id": params["time_entry_id"], "deleted": True}
