from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.common.polling import poll_timers


def poll(
    params: dict[str, Any], state: dict[str, Any] | None, client: ClockifyClient
) -> dict[str, Any]:
    return poll_timers(client, params, state, stopped=False)
