"""Time entries read back and changed: a user's filtered list, one entry (GET, PUT,
DELETE) and the workspace's running entries, with the checks a task and tags get.

Behaviour follows docs/clockify-api.md §12, §13 and §25; where live behaviour is unknown, the
choice made is said in a comment.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from clockify_actions.resources.projects.sandbox_collection import add_tracked_time
from clockify_actions.resources.time_entries.sandbox_rights import (
    check_manual_time,
    check_unlocked,
    check_writes_for,
)
from clockify_actions.resources.time_entries.sandbox_writes import (
    _checked_seconds,
    _entry_project,
    _instant,
    _require_project,
    check_description,
)
from clockify_actions.sandbox import _docs
from clockify_actions.sandbox import _params as params
from clockify_actions.sandbox._call import (
    ADAPTERS,
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

_UPDATE_BODY = Body(
    f"{ADAPTERS}.requests.UpdateTimeEntryRequest",
    f"public {ADAPTERS}.dto.TimeEntryDtoImplV1 {ADAPTERS}.timeentry.TimeEntryHttpAdapter"
    f".update(java.lang.String,java.lang.String,{ADAPTERS}.requests.UpdateTimeEntryRequest,"
    f"com.clockify.adapter.spring.security.CurrentAuth)",
)
# The hydrated list item's key order (docs/clockify-api.md §12.5): the `*Id` fields move to the end.
_HYDRATED_ORDER = [
    "id",
    "description",
    "tags",
    "user",
    "userId",
    "billable",
    "task",
    "project",
    "timeInterval",
    "workspaceId",
    "hourlyRate",
    "customFieldValues",
    "type",
    "kiosk",
    "costRate",
    "taskId",
    "tagIds",
    "projectId",
    "kioskId",
    "isLocked",
]


# --- paging, its query parameters converted as Spring converts them (§25.1) -------------------


def _paged(call: Call, docs: list[Doc], sizes: tuple[int, int]) -> Response:
    page, size = params.page(call, *sizes)
    shown = docs[(page - 1) * size : page * size]
    last = "true" if page * size >= len(docs) else "false"
    return Response.json(200, dump(shown), {"Last-Page": last})


# --- the account's wall clock (§12.3) --------------------------------------------------------


def _user_doc(call: Call, user_id: str) -> Doc:
    (text,) = call.db.execute("SELECT doc FROM users WHERE id = ?", (user_id,)).fetchone()
    doc: Doc = json.loads(text)
    return doc


def _zone(user: Doc) -> ZoneInfo:
    # Whether live reads the user's zone or the workspace's is unknown; both were the same
    # in the one probe (§12.3). The user's profile zone is used, as docs/clockify-api.md advises.
    try:
        return ZoneInfo((user.get("settings") or {}).get("timeZone") or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _wall_clock_bound(call: Call, name: str, zone: ZoneInfo) -> str | None:
    """The instant Clockify filters on: the value's UTC digits read as a local time in the
    account's zone."""
    raw = call.text(name)
    if not raw:
        return None
    moment = parse_instant(raw)
    if moment is None:
        # A zone-less or malformed value is refused live; its message is unknown (§12.3).
        raise ApiError(400, f"Invalid date-time for parameter '{name}': {raw}", 501)
    local = moment.astimezone(UTC).replace(tzinfo=zone)
    return format_instant(local)


# --- the list --------------------------------------------------------------------------------


def _matcher(call: Call, zone: ZoneInfo) -> Callable[[Doc], bool]:
    start = _wall_clock_bound(call, "start", zone)
    end = _wall_clock_bound(call, "end", zone)
    project, task = call.text("project"), call.text("task")
    tags = {tag for value in call.query.get("tags", []) for tag in value.split(",") if tag}
    description = (call.text("description") or "").casefold()
    project_required = params.flag(call, "project-required")
    task_required = params.flag(call, "task-required")
    in_progress = params.flag(call, "in-progress")

    def matches(entry: Doc) -> bool:
        began, running = entry["timeInterval"]["start"], entry["timeInterval"]["end"] is None
        return (
            (start is None or began >= start)
            # Whether live compares `end` with an entry's start or its end is unknown (§12.1);
            # the sandbox compares it with the start, as it does `start`.
            and (end is None or began < end)
            and (not project or entry["projectId"] == project)
            and (not task or entry["taskId"] == task)
            # Any-vs-all is unknown live; any is the weaker, so a client that needs every
            # tag must check (list_time_entries does).
            and (not tags or bool(tags & set(entry["tagIds"] or [])))
            # Contains, ignoring case: live semantics unknown (§12.1).
            and description in entry["description"].casefold()
            and (not project_required or entry["projectId"] is not None)
            and (not task_required or entry["taskId"] is not None)
            and (in_progress is None or in_progress == running)
        )

    return matches


def list_user_entries(call: Call) -> Response:
    user_id = call.member(call.params["user"])
    matches = _matcher(call, _zone(_user_doc(call, user_id)))
    hydrated = params.flag(call, "hydrated")
    rows = call.db.execute(
        "SELECT doc FROM time_entries WHERE workspace_id = ? AND user_id = ?"
        " ORDER BY start DESC, rowid DESC",
        (call.params["workspace"], user_id),
    )
    docs = [doc for doc in (json.loads(text) for (text,) in rows) if matches(doc)]
    if hydrated:
        docs = [hydrate(call, doc, with_user=True) for doc in docs]
    return _paged(call, docs, (50, 5000))


def list_in_progress(call: Call) -> Response:
    rows = call.db.execute(
        "SELECT doc FROM time_entries WHERE workspace_id = ? AND running"
        " ORDER BY start DESC, rowid DESC",
        (call.params["workspace"],),
    )
    return _paged(call, [json.loads(text) for (text,) in rows], (10, 1000))


def hydrate(call: Call, entry: Doc, *, with_user: bool) -> Doc:
    """The entry with its project, task, tags, user and kiosk objects (§12.5)."""
    project = _entry_project(call, entry["projectId"])
    if project is not None:
        project["duration"] = "PT0S"  # the hydrated project's total is not filled (§12.5)
    extra = {
        "project": project,
        "task": _task(call, entry["taskId"]),
        "tags": _tags(call, entry["tagIds"] or []),
        # The single GET sends `user: null` (§13.1).
        "user": _user_doc(call, entry["userId"]) if with_user else None,
        "kiosk": None,
    }
    merged = {**entry, **extra}
    return {key: merged[key] for key in _HYDRATED_ORDER}


def _task(call: Call, task_id: str | None) -> Doc | None:
    if task_id is None:
        return None
    row = call.db.execute("SELECT doc FROM tasks WHERE id = ?", (task_id,)).fetchone()
    doc: Doc | None = json.loads(row[0]) if row else None
    return doc


def _tags(call: Call, tag_ids: list[str]) -> list[Doc]:
    """The tag objects, in the entry's order; a tag no longer stored is left out (what live
    sends for a deleted tag is unknown)."""
    tags = []
    for tag_id in tag_ids:
        row = call.db.execute("SELECT doc FROM tags WHERE id = ?", (tag_id,)).fetchone()
        if row is not None:
            doc = json.loads(row[0])
            tags.append({key: doc[key] for key in ("name", "workspaceId", "archived", "id")})
    return tags


# --- one entry -------------------------------------------------------------------------------


def _stored(call: Call) -> Doc:
    row = call.db.execute(
        "SELECT doc FROM time_entries WHERE id = ? AND workspace_id = ?",
        (call.params["entry"], call.params["workspace"]),
    ).fetchone()
    if row is None:
        # Unknown, deleted, foreign and malformed ids alike (§13.1).
        raise not_belonging("Time entry")
    doc: Doc = json.loads(row[0])
    return doc


def get_entry(call: Call) -> Response:
    entry = _stored(call)
    if params.flag(call, "hydrated"):
        entry = hydrate(call, entry, with_user=False)
    return Response.json(200, dump(entry))


def check_task_and_tags(
    call: Call, project: Doc | None, task_id: str | None, tag_ids: list[str] | None
) -> None:
    """A task must be one of the entry's project's; every tag one of the workspace's,
    archived ones included (docs/clockify-api.md §16.2, §17.3)."""
    if task_id:
        row = call.db.execute("SELECT project_id FROM tasks WHERE id = ?", (task_id,)).fetchone()
        if row is None or project is None or row[0] != project["id"]:
            # Live code not recorded; 501 like the other "doesn't belong" answers (§17.3).
            raise ApiError(400, "Task doesn't belong to Project", 501)
    for tag_id in tag_ids or []:
        found = call.db.execute(
            "SELECT 1 FROM tags WHERE id = ? AND workspace_id = ?",
            (tag_id, call.params["workspace"]),
        ).fetchone()
        if found is None:
            raise not_belonging("Tag")


def _seconds(entry: Doc) -> int | None:
    interval = entry["timeInterval"]
    if interval["end"] is None:
        return None
    start, end = _instant(interval["start"], "start"), _instant(interval["end"], "end")
    return int((end - start).total_seconds())


def update_entry(call: Call) -> Response:
    entry = replace_entry(call, _stored(call), call.json(_UPDATE_BODY), per_user_route=False)
    return Response.json(200, dump(_docs.without_rates(entry)))


def replace_entry(call: Call, old: Doc, data: Doc, *, per_user_route: bool) -> Doc:
    """A whole replacement: whatever the body leaves out is cleared (§13.2). The rights,
    force-timer and lock checks of a create apply (§33.7; for the bulk edit INFERRED)."""
    check_writes_for(call, old["userId"])
    start = _instant(data.get("start"), "start")
    end = None if data.get("end") is None else _instant(data["end"], "end")
    check_manual_time(call, finished=end is not None, per_user_route=per_user_route)
    check_unlocked(call, old["timeInterval"]["start"], start)
    project = _entry_project(call, string_field(data, "projectId"))
    task_id = string_field(data, "taskId") or None
    tag_ids = strings_field(data, "tagIds") or None
    check_task_and_tags(call, project, task_id, tag_ids)
    kind = string_field(data, "type") or "REGULAR"
    if kind not in ("REGULAR", "BREAK"):
        raise body_error(f"{ADAPTERS}.requests.TimeEntryType", kind)
    description = string_field(data, "description") or ""
    check_description(description)
    seconds = None
    if end is not None:
        seconds = _checked_seconds(start, end)
        _require_project(call, project)
    # Whether live refuses to make a second running timer this way is unknown (§13.2).
    entry = {
        **old,
        "description": description,
        "tagIds": tag_ids,
        "billable": bool(boolean_field(data, "billable")),
        "taskId": task_id,
        "projectId": project["id"] if project else None,
        "timeInterval": {
            "start": format_instant(start),
            "end": None if end is None else format_instant(end),
            "duration": None if seconds is None else format_duration(seconds),
        },
        "type": kind,
        "hourlyRate": dict(project["hourlyRate"] if project else call.workspace["hourlyRate"]),
    }
    _untrack(call, old)
    call.db.execute(
        "UPDATE time_entries SET project_id = ?, start = ?, running = ?, doc = ? WHERE id = ?",
        (entry["projectId"], format_instant(start), end is None, dump(entry), entry["id"]),
    )
    if seconds is not None:
        add_tracked_time(call.db, entry["projectId"], seconds)
    emit(call, "TIME_ENTRY_UPDATED", entry)
    return entry


def _untrack(call: Call, entry: Doc) -> None:
    seconds = _seconds(entry)
    if seconds is not None:
        add_tracked_time(call.db, entry["projectId"], -seconds)


def delete_entry(call: Call) -> Response:
    remove_entry(call, _stored(call))
    return Response(204, b"")


def remove_entry(call: Call, entry: Doc) -> None:
    # Deleting the running entry is allowed here; whether live allows it is unknown (§13.3).
    check_writes_for(call, entry["userId"])
    check_unlocked(call, entry["timeInterval"]["start"])
    _untrack(call, entry)
    call.db.execute("DELETE FROM time_entries WHERE id = ?", (entry["id"],))
    emit(call, "TIME_ENTRY_DELETED", entry)
