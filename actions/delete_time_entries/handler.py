from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.time_entries.helpers import delete_entries


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    asked: list[str] = params["time_entry_ids"]
    deleted = delete_entries(client, params["workspace_id"], params["user_id"], asked)
    ids = [entry.id for entry in deleted]
    gone = set(ids)
    return {
        "count": len(ids),
        "deleted": ids,
        "not_deleted": [entry_id for entry_id in asked if entry_id not in gone],
    }
