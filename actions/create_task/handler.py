from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.tasks.helpers import create_task, task_output


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    task = create_task(
        client,
        params["workspace_id"],
        params["project_id"],
        params["name"],
        params.get("billable"),
    )
    return task_output(task)
