from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.tasks.helpers import get_task, task_output, task_rates


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    task = get_task(client, params["workspace_id"], params["project_id"], params["task_id"])
    return {**task_output(task), **task_rates(task)}
