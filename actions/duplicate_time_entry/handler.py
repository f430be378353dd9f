from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.time_entries.helpers import (
    duplicate_entry,
    time_entry_output,
)


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    copy = duplicate_entry(
        client, params["workspace_id"], params["user_id"], params["time_entry_id"]
    )
    return time_entry_output(copy)
