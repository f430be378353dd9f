"""Time entries: their output shape, the one way one is created (with Clockify's
running-timer rule explained when it bites), the item shape the time-entry actions share,
the exact `[start, end)` window over Clockify's wall-clock filter, and the read-and-merge
that turns Clockify's whole-entry PUT into a partial update.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import ActionError, ErrorType, invalid
from clockify_actions.resources.common.helpers import (
    answered_about,
    applied,
    read_and_replace,
    written,
)
from clockify_actions.resources.rates.helpers import rate_output
from clockify_actions.resources.time_entries.wire import TimeEntry, TimeEntryDetail
from clockify_actions.resources.users.wire import User
from clockify_actions.timeutil import parse_timestamp, to_wire

# Clockify reads the list's `start`/`end` as wall-clock digits in the account's zone, so
# the instant it filters on lies between UTC-12 and UTC+14 of the one sent. Widening both
# bounds by the largest offset always takes in every entry of the exact window.
ZONE_SPREAD = timedelta(hours=14)

# The fields a partial update may change, by input name and Clockify's body key.
UPDATABLE = {
    "description": "description",
    "start": "start",
    "end": "end",
    "project_id": "projectId",
    "task_id": "taskId",
    "tag_ids": "tagIds",
    "billable": "billable",
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
        "task_id": entry.task_id or None,
        # Clockify sends `tagIds: null` for an entry without tags; the pack always says [].
        "tag_ids": list(entry.tag_ids or []),
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


def create_time_entry(
    client: ClockifyClient, workspace_id: str, body: dict[str, Any], user_id: str | None = None
) -> TimeEntry:
    """POST one time entry, the key's user's own or, given `user_id`, that member's
    (`createForOthers`, docs/clockify-api.md §13.5); without `end` it is a running timer,
    and Clockify first stops whatever timer is already running for that user there."""
    if user_id is None:
        path = client.path("workspaces", workspace_id, "time-entries")
    else:
        path = client.path("workspaces", workspace_id, "user", user_id, "time-entries")
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
        if user_id is not None and error.type is ErrorType.PERMISSION:
            raise error.reworded(
                f"{error.message.rstrip('.')}: the workspace is not one of yours, or your "
                f"user may not add time for user {user_id}. The workspace's owner and admins "
                "may add time for any member, a team manager for the members they manage "
                "(if the workspace allows it), anyone else only for themselves. Nothing was "
                "created."
            ) from error
        raise


def distinct_ids(entry_ids: list[str]) -> list[str]:
    """The ids, each once, or a `validation_error` naming one given twice (before anything
    is sent)."""
    twice = next((i for n, i in enumerate(entry_ids) if i in entry_ids[:n]), None)
    if twice is not None:
        raise invalid("/time_entry_ids", f"lists {twice} twice; give each entry once")
    return entry_ids


def user_entries_path(client: ClockifyClient, workspace_id: str, user_id: str) -> str:
    """`/workspaces/{ws}/user/{userId}/time-entries`: a user's entries, many at a time."""
    return client.path("workspaces", workspace_id, "user", user_id, "time-entries")


def delete_entries(
    client: ClockifyClient, workspace_id: str, user_id: str, entry_ids: list[str]
) -> list[TimeEntry]:
    """Clockify's bulk delete (`deleteMany`, docs/clockify-api.md §13.5): the entries it
    deleted. Each id is its own `time-entry-ids` parameter, the form the spec declares
    (a comma-joined list is accepted too)."""
    path = user_entries_path(client, workspace_id, user_id)
    ids = distinct_ids(entry_ids)
    return client.delete_list(path, TimeEntry, {"time-entry-ids": list(ids)})


def duplicate_entry(
    client: ClockifyClient, workspace_id: str, user_id: str, entry_id: str
) -> TimeEntry:
    """Clockify's copy of one entry (`duplicateTimeEntry`, docs/clockify-api.md §13.5): a
    POST without a body, answered 201 with the new entry."""
    path = client.path(
        "workspaces", workspace_id, "user", user_id, "time-entries", entry_id, "duplicate"
    )
    return client.post(path, None, TimeEntry)


# What a bulk edit changes alike on every entry: not the times, which are each entry's own.
BULK_UPDATABLE = [name for name in UPDATABLE if name not in ("start", "end")]


def replace_entries(
    client: ClockifyClient,
    workspace_id: str,
    user_id: str,
    entry_ids: list[str],
    changes: dict[str, Any],
) -> list[TimeEntry]:
    """Clockify's bulk edit (`replaceMany`, docs/clockify-api.md §13.5) of `entry_ids`,
    each with `changes` (input names) made and everything else kept. The bulk edit
    replaces each entry whole (INFERRED from the single PUT), so each is read first and
    sent back whole. An entry of another user is refused before anything is written."""
    bodies = []
    for entry_id in distinct_ids(entry_ids):
        path = client.path("workspaces", workspace_id, "time-entries", entry_id)
        entry = client.get(path, TimeEntryDetail)
        answered_about(
            {"id": entry.id, "workspace_id": entry.workspace_id},
            {"id": entry_id, "workspace_id": workspace_id},
            "time entry",
            f"GET {path}",
        )
        if entry.user_id != user_id:
            raise invalid(
                "/time_entry_ids",
                f"time entry {entry_id} is user {entry.user_id}'s, not user {user_id}'s: "
                "a bulk edit changes one user's entries; nothing was changed",
            )
        bodies.append({"id": entry_id, **replacement(entry, changes)})
    path = user_entries_path(client, workspace_id, user_id)
    answer, writes = written(client, lambda: client.put_list(path, bodies, TimeEntry))
    by_id = {entry.id: entry for entry in answer}
    missing = [entry_id for entry_id in entry_ids if entry_id not in by_id]
    if missing:
        error = ActionError(
            ErrorType.CONTRACT,
            f"Clockify accepted the bulk edit of {len(entry_ids)} time entries but its answer "
            f"does not list {', '.join(missing)}; list the entries to see what changed.",
            details=[
                {"path": "/time_entry_ids", "message": f"{m} not in the answer"} for m in missing
            ],
        )
        raise applied(error, writes)
    return [by_id[entry_id] for entry_id in entry_ids]


def entry_output(entry: TimeEntryDetail, *, hydrated: bool = False) -> dict[str, Any]:
    """The pack's time-entry shape plus task, tags, rates (when Clockify sent them) and,
    for a hydrated entry, the names of its project, task and tags."""
    output = time_entry_output(entry)
    if entry.hourly_rate is not None:
        output["hourly_rate"] = rate_output(entry.hourly_rate)
    if entry.cost_rate is not None:
        output["cost_rate"] = rate_output(entry.cost_rate)
    if hydrated:
        output["project_name"] = entry.project.name if entry.project else None
        output["task_name"] = entry.task.name if entry.task else None
        output["tag_names"] = [tag.name for tag in entry.tags or [] if tag.name is not None]
    return output


def own_user_id(client: ClockifyClient) -> str:
    """The API key's own user: one `GET /user`."""
    return client.get("/user", User).id


def window(params: dict[str, Any]) -> tuple[datetime | None, datetime | None]:
    """The `[start, end)` the caller asked for, as UTC instants."""
    start = parse_timestamp(params["start"]) if "start" in params else None
    end = parse_timestamp(params["end"]) if "end" in params else None
    if start is not None and end is not None and end <= start:
        raise invalid("/end", f"end ({to_wire(end)}) must be later than start ({to_wire(start)})")
    return start, end


def widened_query(start: datetime | None, end: datetime | None) -> dict[str, str]:
    """Clockify's `start`/`end` that cover `[start, end)` in any account zone (§12.3)."""
    query = {}
    if start is not None:
        query["start"] = to_wire(start - ZONE_SPREAD)
    if end is not None:
        query["end"] = to_wire(end + ZONE_SPREAD)
    return query


def starts_within(entry: TimeEntryDetail, start: datetime | None, end: datetime | None) -> bool:
    began = parse_timestamp(entry.time_interval.start)
    return (start is None or began >= start) and (end is None or began < end)


def entry_view(entry: TimeEntryDetail) -> dict[str, Any]:
    """The entry as an update compares two of its forms: what identifies it, and every
    field an update may change, with times as UTC instants and tags in id order, so that
    two spellings of one value compare equal."""
    output = entry_output(entry)
    view = {name: output[name] for name in ("id", "workspace_id", *UPDATABLE)}
    for name in ("start", "end"):
        view[name] = None if view[name] is None else to_wire(parse_timestamp(view[name]))
    view["tag_ids"] = sorted(view["tag_ids"])
    view["billable"] = bool(view["billable"])  # as `replacement` sends it
    return view


def check_times(changes: dict[str, Any]) -> None:
    """Refuses, before anything is sent, a `start` and an `end` that contradict each other."""
    if "start" in changes and "end" in changes:
        start, end = parse_timestamp(changes["start"]), parse_timestamp(changes["end"])
        if end < start:
            raise invalid("/end", f"end ({to_wire(end)}) is earlier than start ({to_wire(start)})")


def update_entry(
    client: ClockifyClient, workspace_id: str, entry_id: str, changes: dict[str, Any]
) -> TimeEntryDetail:
    """The entry with `changes` (input names) made and everything else kept: see
    `read_and_replace` for how another's change in between is caught. Moving the entry to
    a project without naming a task may drop its task, which is then not compared."""
    check_times(changes)
    untouched = [name for name in UPDATABLE if name not in changes]
    if "project_id" in changes and "task_id" in untouched:
        untouched.remove("task_id")
    return read_and_replace(
        client,
        client.path("workspaces", workspace_id, "time-entries", entry_id),
        TimeEntryDetail,
        what="time entry",
        view=entry_view,
        asked={"id": entry_id, "workspace_id": workspace_id},
        replacement=lambda current: replacement(current, changes),
        untouched=untouched,
    )


def replacement(entry: TimeEntryDetail, changes: dict[str, Any]) -> dict[str, Any]:
    """The whole-entry body for Clockify's PUT: the entry as it is, with `changes` (input
    names) applied. Clockify clears whatever the body leaves out, so everything kept is
    sent again, custom field values included. A new project without a new task drops the
    old task, which belongs to the old project."""
    interval = entry.time_interval
    start = parse_timestamp(changes.get("start", interval.start))
    end_text = changes.get("end", interval.end)
    end = None if end_text is None else parse_timestamp(end_text)
    if end is not None and end < start:
        times = f"end {to_wire(end)}, start {to_wire(start)}"
        if "end" in changes:
            raise invalid("/end", f"end would be earlier than the entry's start ({times})")
        if "start" in changes:
            raise invalid("/start", f"start would be later than the entry's end ({times})")
        # The caller gave neither: the entry as stored is what is wrong, not an input.
        raise ActionError(
            ErrorType.VALIDATION,
            f"Invalid input: time entry {entry.id}, as stored in Clockify, ends before it "
            f"starts ({times}), and this update would send those times back: give start "
            "and end to set both.",
            details=[{"path": "", "message": "the stored entry's end is earlier than its start"}],
        )
    project_id = changes.get("project_id", entry.project_id or None)
    task_id = entry.task_id or None
    if "task_id" in changes:
        task_id = changes["task_id"]
    elif project_id != (entry.project_id or None):
        task_id = None
    body: dict[str, Any] = {
        "start": to_wire(start),
        "billable": changes.get("billable", bool(entry.billable)),
        "description": changes.get("description", entry.description or ""),
        "tagIds": changes.get("tag_ids", list(entry.tag_ids or [])),
        "type": entry.type or "REGULAR",
        "customFields": [
            {"customFieldId": field.custom_field_id, "value": field.value}
            for field in entry.custom_field_values or []
            if field.value is not None
        ],
    }
    if end is not None:
        body["end"] = to_wire(end)
    if project_id is not None:
        body["projectId"] = project_id
    if task_id is not None:
        body["taskId"] = task_id
    return body
