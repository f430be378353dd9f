from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.common.polling import poll_created
from clockify_actions.resources.projects.helpers import project_event as event


def poll(
    params: dict[str, Any], state: dict[str, Any] | None, client: ClockifyClient, webhook_event: str
) -> dict[str, Any]:
    return poll_created(client, params, state, "PROJECTS", webhook_event, event)
