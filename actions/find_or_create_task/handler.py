from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.common import lookup
from clockify_actions.resources.tasks.helpers import create_task, look_up_task, task_output


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    workspace_id, project_id, name = params["workspace_id"], params["project_id"], params["name"]
    task, created = lookup.find_or_create(
        lambda: look_up_task(client, workspace_id, project_id, name, include_done=True),
        lambda: create_task(client, workspace_id, project_id, name, params.get("billable")),
    )
    return {**task_output(task), "created": created}
