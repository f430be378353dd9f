from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.tasks.helpers import CHANGEABLE, task_output, update_task


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    if not any(name in params for name in CHANGEABLE):
        raise invalid("", f"give at least one field to change: {', '.join(CHANGEABLE)}")
    task = update_task(
        client, params["workspace_id"], params["project_id"], params["task_id"], params
    )
    return task_output(task)
