from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import ActionError, ErrorType
from clockify_actions.resources.common.helpers import answered_about, written
from clockify_actions.resources.time_entries.helpers import time_entry_output
from clockify_actions.resources.time_entries.wire import TimeEntry
from clockify_actions.timeutil import to_wire


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    workspace_id, user_id = params["workspace_id"], params["user_id"]
    path = client.path("workspaces", workspace_id, "user", user_id, "time-entries")
    try:
        entry, writes = written(
            client, lambda: client.patch(path, {"end": to_wire(client.now())}, TimeEntry)
        )
    except ActionError as error:
        # Clockify answers "nothing running" with HTTP 404 and code 404.
        if error.type is ErrorType.NOT_FOUND and error.http_status == 404:
            raise error.reworded(
                f"No timer is running for user {user_id} in workspace {workspace_id}, so "
                f"there is nothing to stop. (Clockify: {error.message})"
            ) from error
        raise
    result = time_entry_output(entry)
    asked = {"user_id": user_id, "workspace_id": workspace_id}
    answered_about(result, asked, "user's timer", f"PATCH {path}", writes=writes)
    return result
