from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.tasks.helpers import find_task, task_output


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    task = find_task(
        client,
        params["workspace_id"],
        params["project_id"],
        params["name"],
        include_done=params.get("include_done", True),
    )
    return task_output(task)
