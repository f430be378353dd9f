from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.common.polling import poll_created
from clockify_actions.resources.tasks.helpers import task_event as event


def poll(
    params: dict[str, Any], state: dict[str, Any] | None, client: ClockifyClient, webhook_event: str
) -> dict[str, Any]:
    return poll_created(client, params, state, "TASKS", webhook_event, event)
