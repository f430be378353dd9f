from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.tasks.helpers import delete_task


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    deleted = delete_task(client, params["workspace_id"], params["project_id"], params["task_id"])
    return {
        "id": deleted.id,
        "name": deleted.name,
        "project_id": deleted.project_id,
        "deleted": True,
    }
