from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.tasks.helpers import task_output
from clockify_actions.resources.tasks.wire import Task


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    # Clockify filters active tasks only (`is-active`); without it, done ones come too.
    query: dict[str, Any] = {"is-active": True} if params.get("status") == "active" else {}
    if "name" in params:
        query["name"] = params["name"]
    path = client.path(
        "workspaces", params["workspace_id"], "projects", params["project_id"], "tasks"
    )
    tasks = [task_output(task) for task in client.get_all(path, Task, query)]
    if params.get("status") == "done":
        tasks = [task for task in tasks if task["done"]]
    return {"count": len(tasks), "tasks": tasks}
