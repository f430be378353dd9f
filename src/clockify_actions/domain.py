"""Clockify knowledge that several actions share.

Wire objects in the pack's output vocabulary (snake_case, `is_private`), so that a
project or a time entry reads the same whichever action returned it; and the one way a
time entry is created, with Clockify's running-timer rule explained when it bites.
"""

from __future__ import annotations

import re
from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.clockify.wire import Project, TimeEntry, Webhook
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


def webhook_output(webhook: Webhook) -> dict[str, Any]:
    return {
        "id": webhook.id,
        "name": webhook.name,
        "url": webhook.url,
        "event": webhook.webhook_event,
        "trigger_source_type": webhook.trigger_source_type,
        "trigger_source": list(webhook.trigger_source or []),
        "auth_token": webhook.auth_token,
        "enabled": webhook.enabled,
        "delivery_enabled": webhook.delivery_enabled,
        "plan_enabled": webhook.plan_enabled,
        "workspace_id": webhook.workspace_id,
        "user_id": webhook.user_id,
    }


# The optional fields of a new time entry, as the action names them and as Clockify does
# (docs/clockify-api.md §6).
_NEW_ENTRY_FIELDS = {
    "project_id": "projectId",
    "description": "description",
    "task_id": "taskId",
    "tag_ids": "tagIds",
    "billable": "billable",
}


def new_entry_fields(params: dict[str, Any]) -> dict[str, Any]:
    """The body fields of a new entry that the user gave."""
    return {wire: params[name] for name, wire in _NEW_ENTRY_FIELDS.items() if name in params}


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
