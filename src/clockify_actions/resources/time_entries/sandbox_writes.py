"""Time entries and timers: created (for oneself or another member), read, listed, and
the running one stopped.

Behaviour, messages and codes follow Clockify's live responses (see docs/clockify-api.md); where the
live behaviour is unknown, the choice made is said in a comment.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from clockify_actions.resources.projects.sandbox_collection import add_tracked_time
from clockify_actions.resources.time_entries.sandbox_rights import (
    check_manual_time,
    check_unlocked,
    check_writes_for,
)
from clockify_actions.sandbox import _docs
from clockify_actions.sandbox._call import (
    ADAPTERS,
    AUTH,
    Body,
    Call,
    boolean_field,
    string_field,
    strings_field,
)
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._errors import ApiError, body_error, not_belonging
from clockify_actions.sandbox._events import emit
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._store import dump
from clockify_actions.sandbox._time import format_duration, format_instant, parse_instant

_MAX_ENTRY_SECONDS = 999 * 3600
_MAX_DESCRIPTION = 3000  # CreateTimeEntryRequest.description maxLength in the spec
_INVALID_DATE = (
    "You entered invalid value for field : [{0}]. Values representing [{0}] can be null and"
    " can't be empty. Make sure that the date [{0}] is not greater than 9999-12-31 or less than"
    ' 0001-01-01. Make sure that the date [{0}] has the following format: "yyyy-MM-ddThh:mm:ssZ"'
    " Example: 2018-11-29T13:00:46Z."
)
_NO_ANGLE_BRACKETS = "Don't use < and > characters"  # §29.2 item 5, CONFIRMED-LIVE(1)
_PROJECT_REQUIRED = (
    "Time entry couldn't be created. Project is either required field or given project is archived."
)

_ENTRY_BODY = Body(
    f"{ADAPTERS}.requests.CreateTimeEntryRequest",
    f"public {ADAPTERS}.dto.TimeEntryDtoImplV1 {ADAPTERS}.timeentry.TimeEntryHttpAdapter.create("
    f"java.lang.String,{ADAPTERS}.requests.CreateTimeEntryRequest,java.lang.String,"
    f"java.lang.String,java.lang.String,{AUTH})",
)
_USER_ENTRY_BODY = Body(
    f"{ADAPTERS}.requests.CreateTimeEntryRequest",
    f"public {ADAPTERS}.dto.TimeEntryDtoImplV1 {ADAPTERS}.timeentry.TimeEntryHttpAdapter"
    f".createForOthers(java.lang.String,java.lang.String,{ADAPTERS}.requests."
    f"CreateTimeEntryRequest,java.lang.String,{AUTH})",
)
_STOP_BODY = Body(
    f"{ADAPTERS}.requests.StopTimeEntryRequest",
    f"public {ADAPTERS}.dto.TimeEntryDtoImplV1 {ADAPTERS}.timeentry.TimeEntryHttpAdapter"
    f".stopRunningTimeEntry(java.lang.String,java.lang.String,{ADAPTERS}.requests."
    f"StopTimeEntryRequest,{AUTH})",
)


def _instant(value: object, field: str) -> datetime:
    moment = parse_instant(value) if isinstance(value, str) else None
    if moment is None:
        raise ApiError(400, _INVALID_DATE.format(field), 501)
    return moment


def _checked_seconds(start: datetime, end: datetime) -> int:
    if start > end:
        raise ApiError(
            400,
            f"Start datetime {format_instant(start)} is greater than end datetime"
            f" {format_instant(end)}.",
            501,
        )
    seconds = int((end - start).total_seconds())
    if seconds > _MAX_ENTRY_SECONDS:
        raise ApiError(400, "Time entry cannot have duration more than 999 hours.", 501)
    return seconds


def _entry_project(call: Call, project_id: str | None) -> Doc | None:
    if not project_id:
        return None
    row = call.db.execute(
        "SELECT doc FROM projects WHERE id = ? AND workspace_id = ?",
        (project_id, call.params["workspace"]),
    ).fetchone()
    if row is None:
        raise not_belonging("Project")
    doc: Doc = json.loads(row[0])
    return doc


def _require_project(call: Call, project: Doc | None) -> None:
    """A finished entry in a workspace that forces projects needs an active project."""
    forced = call.workspace["workspaceSettings"]["forceProjects"]
    if forced and (project is None or project["archived"]):
        raise ApiError(400, _PROJECT_REQUIRED, 501)


def _running(call: Call, user_id: str) -> list[Doc]:
    rows = call.db.execute(
        "SELECT doc FROM time_entries WHERE workspace_id = ? AND user_id = ? AND running"
        " ORDER BY start DESC, rowid DESC",
        (call.params["workspace"], user_id),
    )
    return [json.loads(doc) for (doc,) in rows]


def _finish(call: Call, entry: Doc, end: datetime) -> Doc:
    """Stops a running entry at `end`, under the rules a finished entry must meet."""
    interval = entry["timeInterval"]
    seconds = _checked_seconds(_instant(interval["start"], "start"), end)
    _require_project(call, _entry_project(call, entry["projectId"]))
    interval["end"] = format_instant(end)
    interval["duration"] = format_duration(seconds)
    call.db.execute(
        "UPDATE time_entries SET running = 0, doc = ? WHERE id = ?", (dump(entry), entry["id"])
    )
    add_tracked_time(call.db, entry["projectId"], seconds)
    emit(call, "TIMER_STOPPED", entry)
    return entry


def check_description(description: str | None) -> None:
    """Clockify's limits on a description: at most 3000 characters, no `<` or `>`."""
    if description is None:
        return
    # Java counts a string's length in UTF-16 units.
    if len(description.encode("utf-16-le")) > 2 * _MAX_DESCRIPTION:
        # The live message is unknown; this is Bean Validation's for the spec's maxLength.
        raise ApiError(400, f"description: size must be between 0 and {_MAX_DESCRIPTION}", 501)
    if "<" in description or ">" in description:
        raise ApiError(400, _NO_ANGLE_BRACKETS, 501)


def _create_entry(call: Call, user_id: str, data: Doc, *, per_user_route: bool) -> Response:
    start_value, end_value = data.get("start"), data.get("end")
    if start_value is None and end_value is not None:
        # The live text (§29.2 item 6).
        raise ApiError(400, "Can't create time entry with end time only.", 501)
    start = _instant(start_value, "start")
    end = None if end_value is None else _instant(end_value, "end")
    call.member(user_id)
    check_writes_for(call, user_id)
    # The force-timer check fires before the lock's (§33.7).
    check_manual_time(call, finished=end is not None, per_user_route=per_user_route)
    check_unlocked(call, start)
    project = _entry_project(call, string_field(data, "projectId"))
    kind = string_field(data, "type") or "REGULAR"
    if kind not in ("REGULAR", "BREAK"):
        raise body_error(f"{ADAPTERS}.requests.TimeEntryType", kind)
    description = string_field(data, "description")
    check_description(description)
    from clockify_actions.resources.time_entries.sandbox_read import (  # it builds on this module
        check_task_and_tags,
    )

    task_id, tag_ids = string_field(data, "taskId"), strings_field(data, "tagIds")
    check_task_and_tags(call, project, task_id, tag_ids)
    fields = {
        "description": description,
        "billable": boolean_field(data, "billable"),
        "tagIds": tag_ids,
        "taskId": task_id,
        "type": kind,
    }
    seconds = None
    if end is not None:
        seconds = _checked_seconds(start, end)
        _require_project(call, project)
    elif call.config.auto_stop:
        # One timer per user and workspace: the running one stops where the new one starts,
        # and when it cannot stop, nothing is created (the savepoint undoes any stop made).
        for running in _running(call, user_id):
            _finish(call, running, start)
    interval = {
        "start": format_instant(start),
        "end": None if end is None else format_instant(end),
        "duration": None if seconds is None else format_duration(seconds),
    }
    doc = _docs.time_entry(call.new_id(), call.workspace, user_id, interval, fields, project)
    insert_time_entries(call.db, [doc])
    if seconds is not None:
        add_tracked_time(call.db, doc["projectId"], seconds)
    emit(call, "NEW_TIMER_STARTED" if end is None else "NEW_TIME_ENTRY", doc)
    return Response.json(201, dump(_docs.without_rates(doc)))


def create_own_entry(call: Call) -> Response:
    return _create_entry(call, call.user_id, call.json(_ENTRY_BODY), per_user_route=False)


def create_user_entry(call: Call) -> Response:
    data = call.json(_USER_ENTRY_BODY)
    source = call.text("from-entry")
    if source is not None:
        found = call.db.execute(
            "SELECT 1 FROM time_entries WHERE id = ? AND workspace_id = ?",
            (source, call.params["workspace"]),
        ).fetchone()
        if found is None:
            # An unknown `from-entry` is 404 with an empty body (§33.1). What a known one
            # copies is unknown: the sandbox copies nothing.
            return Response(404, b"")
    return _create_entry(call, call.params["user"], data, per_user_route=True)


def stop_timer(call: Call) -> Response:
    data = call.json(_STOP_BODY)
    end = _instant(data.get("end"), "end")
    user_id = call.member(call.params["user"])
    check_writes_for(call, user_id)
    running = _running(call, user_id)
    if not running:
        raise ApiError(
            404,
            f"Currently running time entry doesn't exist on workspace"
            f" {call.params['workspace']} for user {user_id}.",
            404,
        )
    # Which entry stops when several run is unknown live (auto-stop off): the newest one.
    entry = _finish(call, running[0], end)
    return Response.json(200, dump(_docs.without_rates(entry)))


def insert_time_entries(db: sqlite3.Connection, docs: list[Doc]) -> None:
    db.executemany(
        "INSERT INTO time_entries (id, workspace_id, user_id, project_id, start, running, doc)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                d["id"],
                d["workspaceId"],
                d["userId"],
                d["projectId"],
                d["timeInterval"]["start"],
                d["timeInterval"]["end"] is None,
                dump(d),
            )
            for d in docs
        ],
    )
