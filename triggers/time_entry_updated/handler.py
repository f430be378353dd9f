from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.common.events import time_entry_change_event as event
from clockify_actions.resources.common.polling import poll_changes


def poll(
    params: dict[str, Any], state: dict[str, Any] | None, client: ClockifyClient, webhook_event: str
) -> dict[str, Any]:
    return poll_changes(client, params, state, "updated", "TIME_ENTRY", webhook_event, event)
