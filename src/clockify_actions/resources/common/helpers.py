"""Clockify knowledge that several actions share.

Wire objects in the pack's output vocabulary (snake_case, `is_private`), so that a
project or a time entry reads the same whichever action returned it; the one way a time
entry is created, with Clockify's running-timer rule explained when it bites; the check
that an answer is about the record that was asked for; and the read-and-replace that
turns Clockify's whole-record PUT into a partial update without hiding another's change.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

from clockify_actions.clockify import ClockifyClient
from clockify_actions.clockify.light import WireObject
from clockify_actions.clockify.wire import Project, TimeEntry, Webhook
from clockify_actions.errors import ActionError, ErrorType, WriteOutcome

Record = TypeVar("Record", bound=WireObject)
Answer = TypeVar("Answer")


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


def answered_about(
    answer: Mapping[str, Any],
    asked: Mapping[str, Any],
    what: str,
    request: str,
    *,
    writes: int | None = None,
) -> None:
    """A `contract_error` unless Clockify's answer to `request` is about the record asked
    for: `asked` holds what the request named (an id, a workspace, a user) by the answer's
    field in the pack's vocabulary. Such an answer is never applied to the request. For a
    write, `writes` is how many it sent, which Clockify accepted: the error says `applied`."""
    wrong = [
        {
            "path": f"/{field}",
            "message": f"is {answer.get(field)!r}; the request was for {value!r}",
        }
        for field, value in asked.items()
        if answer.get(field) != value
    ]
    if wrong:
        shown = ", ".join(f"{field} {value}" for field, value in asked.items())
        error = ActionError(
            ErrorType.CONTRACT,
            f"Clockify answered {request} with another {what} than the one asked for "
            f"({shown}); its answer was not used.",
            details=wrong,
        )
        raise error if writes is None else applied(error, writes)


def applied(error: ActionError, writes: int) -> ActionError:
    """`error`, met after Clockify accepted this run's `writes`, saying the write was
    applied: it must not be sent again blindly."""
    error.retryable = False
    return error.about_request(writes, WriteOutcome.APPLIED)


def written(client: ClockifyClient, write: Callable[[], Answer]) -> tuple[Answer, int]:
    """What `write` returns, and how many writes it sent (retries included)."""
    before = client.writes_sent
    answer = write()
    return answer, client.writes_sent - before


def read_and_replace(
    client: ClockifyClient,
    path: str,
    model: type[Record],
    *,
    what: str,
    view: Callable[[Record], dict[str, Any]],
    asked: Mapping[str, Any],
    replacement: Callable[[Record], dict[str, Any]],
    untouched: Collection[str],
) -> Record:
    """Clockify's PUT of `path` replaces the whole record and has no condition on its
    version, so a partial update reads the record, sends it back with the changes
    (`replacement` of the record as read) and then compares: both answers must be about
    the record `asked` for (`view` gives a record in the pack's vocabulary), and the
    fields the caller did not change (`untouched`) must come back as they were read.
    One that does not was changed by someone else between the read and the write: a
    `conflict` naming both values, with the write `applied` (it was)."""
    current = client.get(path, model)
    before = view(current)
    answered_about(before, asked, what, f"GET {path}")
    body = replacement(current)
    updated, writes = written(client, lambda: client.put(path, body, model))
    after = view(updated)
    answered_about(after, asked, what, f"PUT {path}", writes=writes)
    moved = [field for field in untouched if before.get(field) != after.get(field)]
    if moved:
        raise applied(_changed_in_between(before, after, moved, what), writes)
    return updated


def _changed_in_between(
    before: Mapping[str, Any], after: Mapping[str, Any], moved: list[str], what: str
) -> ActionError:
    shown = "; ".join(
        f"{field} was {before.get(field)!r}, is now {after.get(field)!r}" for field in moved
    )
    return ActionError(
        ErrorType.CONFLICT,
        f"The {what} was changed by someone else between this update's read and its "
        f"write: Clockify applied the update, but fields it did not change came back "
        f"different from what was read ({shown}). Look at the {what} in Clockify "
        "before running the update again.",
        details=[
            {
                "path": f"/{field}",
                "message": "changed by someone else between the read and the write",
                "read": before.get(field),
                "answered": after.get(field),
            }
            for field in moved
        ],
    )
