"""Clockify knowledge that several actions share.

Wire objects in the pack's output vocabulary (snake_case, `is_private`), so that a
project or a time entry reads the same whichever action returned it; and the one way a
time entry is created, with Clockify's running-timer rule explained when it bites.
"""

from __future__ import annotations

import re
from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.clockify.wire import Project, TimeEntry
from clockify_actions.errors import ActionError, ErrorType


def project_output(project: Project) -> dict[str, Any]:
    return {
        "id": project.id,
        "name": project.name,
        "archived": project.archived,
        "client_id": project.client_id or None,
        "is_private": None if project.public is None else not project.public,
        "billable": project.billable,
        "color": project.color,
    }


def time_entry_output(entry: TimeEntry) -> dict[str, Any]:
    interval = entry.time_interval
    return {
        "id": entry.id,
        "description": entry.description or "",
        "start": interval.start,
        "end": interval.end,
        "duration": interval.duration,
        "project_id": entry.project_id or None,
        "workspace_id": entry.workspace_id,
        "user_id": entry.user_id,
        "billable": entry.billable,
    }


# Clockify stops the running timer at a new timer's start; when that stop is invalid it
# refuses the new entry with one of these (docs/clockify-api.md §10.3).
_RUNNING_TIMER_BLOCKED = re.compile(
    r"is greater than end datetime|Project is either required|couldn't be created", re.IGNORECASE
)


def create_time_entry(client: ClockifyClient, workspace_id: str, body: dict[str, Any]) -> TimeEntry:
    """POST one time entry; without `end` it is a running timer, and Clockify first stops
    whatever timer is already running for the user in that workspace."""
    path = client.path("workspaces", workspace_id, "time-entries")
    try:
        return client.post(path, body, TimeEntry)
    except ActionError as error:
        if (
            "end" not in body
            and error.type is ErrorType.REJECTED
            and _RUNNING_TIMER_BLOCKED.search(error.message)
        ):
            raise error.reworded(
                "Clockify refused to start a new timer because the timer already running in "
                f"this workspace could not be stopped at {body['start']}: {error.message} "
                "Stop the running timer first (Stop Clockify timer), or fix it in Clockify."
            ) from error
        raise
