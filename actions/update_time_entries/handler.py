from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.time_entries.helpers import (
    BULK_UPDATABLE,
    replace_entries,
    time_entry_output,
)


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    changes = {name: params[name] for name in BULK_UPDATABLE if name in params}
    if not changes:
        raise invalid("", f"give at least one field to change: {', '.join(BULK_UPDATABLE)}")
    entries = replace_entries(
        client, params["workspace_id"], params["user_id"], params["time_entry_ids"], changes
    )
    outputs = [time_entry_output(entry) for entry in entries]
    return {"count": len(outputs), "time_entries": outputs}
