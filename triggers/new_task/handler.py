from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.common.polling import poll_created
from clockify_actions.resources.tasks.helpers import task_event


def poll(
    params: dict[str, Any], state: dict[str, Any] | None, client: ClockifyClient
) -> dict[str, Any]:
    return poll_created(client, params, state, "TASKS", "NEW_TASK", task_event)
