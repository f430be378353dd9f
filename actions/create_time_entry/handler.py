from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.time_entries.helpers import (
    create_time_entry,
    new_entry_fields,
    time_entry_output,
)
from clockify_actions.timeutil import parse_timestamp, to_wire


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    start = parse_timestamp(params["start"])
    body: dict[str, Any] = {"start": to_wire(start), "projectId": params["project_id"]}
    if "end" in params:
        end = parse_timestamp(params["end"])
        if end < start:
            raise invalid("/end", f"end ({to_wire(end)}) is earlier than start ({to_wire(start)})")
        body["end"] = to_wire(end)
    body.update(new_entry_fields(params))
    entry = create_time_entry(client, params["workspace_id"], body, params.get("user_id"))
    return time_entry_output(entry)
