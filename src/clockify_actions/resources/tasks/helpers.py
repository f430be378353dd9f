"""Tasks of a project: their output shape and event, and the look-ups by name that the
find and find-or-create actions share, on top of the one name comparison in `lookup`.

Clockify filters the list by a name it contains (docs/clockify-api.md §17.1), so the
server-filtered list is read over every page and the exact match made in `lookup`. Done
tasks are in what Clockify lists by default (§20) and so are found.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.common import lookup
from clockify_actions.resources.common.events import Event, event_id, given_id
from clockify_actions.resources.tasks.wire import Task


def task_output(task: Task) -> dict[str, Any]:
    return {
        "id": task.id,
        "name": task.name,
        "project_id": task.project_id,
        "done": task.status == "DONE",
        "billable": task.billable,
    }


def task_event(webhook_event: str, task: Mapping[str, Any]) -> Event:
    return {
        "event_id": event_id(webhook_event, task["id"]),
        "id": task["id"],
        "name": task.get("name") or "",
        "project_id": given_id(task.get("projectId")),
        "status": task.get("status"),
        "billable": task.get("billable"),
    }


def tasks_named(
    client: ClockifyClient, workspace_id: str, project_id: str, name: str, include_done: bool
) -> list[Task]:
    query: dict[str, Any] = {"name": lookup.clean_name(name)}
    if not include_done:
        query["is-active"] = True
    path = client.path("workspaces", workspace_id, "projects", project_id, "tasks")
    return lookup.matching(client.get_all(path, Task, query), name)


def look_up_task(
    client: ClockifyClient, workspace_id: str, project_id: str, name: str, include_done: bool
) -> Task | None:
    found = tasks_named(client, workspace_id, project_id, name, include_done)
    return lookup.only_match(found, name, "task", f"project {project_id}")


def find_task(
    client: ClockifyClient, workspace_id: str, project_id: str, name: str, include_done: bool
) -> Task:
    found = tasks_named(client, workspace_id, project_id, name, include_done)
    return lookup.find(found, name, "task", f"project {project_id}")


def create_task(
    client: ClockifyClient,
    workspace_id: str,
    project_id: str,
    name: str,
    billable: bool | None = None,
) -> Task:
    body: dict[str, Any] = {"name": lookup.clean_name(name)}
    if billable is not None:
        body["billable"] = billable  # accepted though the create schema lacks it (§17.2)
    path = client.path("workspaces", workspace_id, "projects", project_id, "tasks")
    return client.post(path, body, Task)
