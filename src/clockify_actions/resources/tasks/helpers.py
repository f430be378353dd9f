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
from clockify_actions.resources.common.helpers import (
    answered_about,
    delete_record,
    read_and_replace,
    read_record,
    written,
)
from clockify_actions.resources.rates.helpers import rate_output
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


# What update_task may change, by input and result name.
CHANGEABLE = ("name", "done", "billable")
# The rate routes of a task, by set_task_rate's `kind` (docs/clockify-api.md §17.3).
RATE_ROUTES = {"hourly": "hourly-rate", "cost": "cost-rate"}


def task_path(client: ClockifyClient, workspace_id: str, project_id: str, task_id: str) -> str:
    return client.path("workspaces", workspace_id, "projects", project_id, "tasks", task_id)


def _task_view(task: Task) -> dict[str, Any]:
    return task_output(task)


def get_task(client: ClockifyClient, workspace_id: str, project_id: str, task_id: str) -> Task:
    return read_record(
        client,
        task_path(client, workspace_id, project_id, task_id),
        Task,
        what="task",
        view=_task_view,
        asked={"id": task_id, "project_id": project_id},
    )


def update_task(
    client: ClockifyClient,
    workspace_id: str,
    project_id: str,
    task_id: str,
    params: Mapping[str, Any],
) -> Task:
    """The task renamed, marked done or active, or made (not) billable, the rest kept:
    Clockify's PUT replaces the task and requires its name (docs/clockify-api.md §17.3),
    so it is read and sent back whole (`read_and_replace`)."""
    return read_and_replace(
        client,
        task_path(client, workspace_id, project_id, task_id),
        Task,
        what="task",
        view=_task_view,
        asked={"id": task_id, "project_id": project_id},
        replacement=lambda current: _replacement(current, params),
        untouched=[field for field in CHANGEABLE if field not in params],
    )


def _replacement(current: Task, params: Mapping[str, Any]) -> dict[str, Any]:
    """The whole task: what a replace would reset (assignees, user groups, estimate,
    budget, billable, status) is sent back as read; a rename in `clean_name`'s form."""
    body: dict[str, Any] = {
        "name": lookup.clean_name(params["name"]) if "name" in params else current.name,
        "assigneeIds": list(current.assignee_ids or []),
        "userGroupIds": list(current.user_group_ids or []),
    }
    if "done" in params:
        body["status"] = "DONE" if params["done"] else "ACTIVE"
    elif current.status is not None:
        body["status"] = current.status
    billable = params.get("billable", current.billable)
    if billable is not None:
        body["billable"] = billable
    if current.estimate is not None:
        body["estimate"] = current.estimate
    if current.budget_estimate is not None:
        body["budgetEstimate"] = current.budget_estimate
    return body


def delete_task(client: ClockifyClient, workspace_id: str, project_id: str, task_id: str) -> Task:
    """One DELETE; Clockify refuses an active task (mark it done first) and answers with
    the deleted one (docs/clockify-api.md §17.3)."""
    return delete_record(
        client,
        task_path(client, workspace_id, project_id, task_id),
        Task,
        what="task",
        view=_task_view,
        asked={"id": task_id, "project_id": project_id},
    )


def set_task_rate(
    client: ClockifyClient,
    workspace_id: str,
    project_id: str,
    task_id: str,
    kind: str,
    body: Mapping[str, Any],
) -> Task:
    """One PUT of the task's hourly or cost rate (`kind`), answered with the task."""
    path = task_path(client, workspace_id, project_id, task_id) + "/" + RATE_ROUTES[kind]
    task, writes = written(client, lambda: client.put(path, body, Task))
    asked = {"id": task_id, "project_id": project_id}
    answered_about(_task_view(task), asked, "task", f"PUT {path}", writes=writes)
    return task


def task_rates(task: Task) -> dict[str, Any]:
    """The task's rates in the pack's vocabulary, each null until set."""
    return {"hourly_rate": rate_output(task.hourly_rate), "cost_rate": rate_output(task.cost_rate)}
