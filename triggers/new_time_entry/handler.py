from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.common.polling import poll_finished_entries


def poll(
    params: dict[str, Any], state: dict[str, Any] | None, client: ClockifyClient
) -> dict[str, Any]:
    return poll_finished_entries(client, params, state)
