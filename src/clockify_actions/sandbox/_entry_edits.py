"""A time entry replaced (`PUT /time-entries/{id}`) or deleted (`DELETE /time-entries/{id}`),
so that the change-tracking routes and webhooks can be shown edits and deletions.

A small form of both routes (§13.2, §13.3): PUT replaces every field it names and clears
the ones it omits, validated as a create is; DELETE answers 204 with no body.
"""

from __future__ import annotations

import json

from . import _docs
from ._call import ADAPTERS, AUTH, Body, Call, boolean_field, string_field, strings_field
from ._docs import Doc
from ._errors import not_belonging
from ._events import emit
from ._http import Response
from ._store import add_tracked_time, dump
from ._time import format_duration, format_instant
from ._time_entries import _checked_seconds, _entry_project, _instant, _require_project

_UPDATE_BODY = Body(
    f"{ADAPTERS}.requests.UpdateTimeEntryRequest",
    f"public {ADAPTERS}.dto.TimeEntryDtoImplV1 {ADAPTERS}.timeentry.TimeEntryHttpAdapter.update("
    f"java.lang.String,java.lang.String,{ADAPTERS}.requests.UpdateTimeEntryRequest,{AUTH})",
)


def _stored(call: Call) -> Doc:
    row = call.db.execute(
        "SELECT doc FROM time_entries WHERE id = ? AND workspace_id = ?",
        (call.params["entry"], call.params["workspace"]),
    ).fetchone()
    if row is None:
        raise not_belonging("Time entry")
    doc: Doc = json.loads(row[0])
    return doc


def _seconds(entry: Doc) -> int:
    interval = entry["timeInterval"]
    if interval["end"] is None:
        return 0
    return _checked_seconds(_instant(interval["start"], "start"), _instant(interval["end"], "end"))


def update_entry(call: Call) -> Response:
    entry = _stored(call)
    data = call.json(_UPDATE_BODY)
    start = _instant(data.get("start"), "start")
    end = None if data.get("end") is None else _instant(data.get("end"), "end")
    project = _entry_project(call, string_field(data, "projectId"))
    seconds = None if end is None else _checked_seconds(start, end)
    if seconds is not None:
        _require_project(call, project)
    add_tracked_time(call.db, entry["projectId"], -_seconds(entry))
    entry.update(
        {
            "description": string_field(data, "description") or "",
            "billable": bool(boolean_field(data, "billable")),
            "projectId": None if project is None else project["id"],
            "taskId": string_field(data, "taskId"),
            "tagIds": strings_field(data, "tagIds"),
            "timeInterval": {
                "start": format_instant(start),
                "end": None if end is None else format_instant(end),
                "duration": None if seconds is None else format_duration(seconds),
            },
        }
    )
    call.db.execute(
        "UPDATE time_entries SET project_id = ?, start = ?, running = ?, doc = ? WHERE id = ?",
        (entry["projectId"], entry["timeInterval"]["start"], end is None, dump(entry), entry["id"]),
    )
    if seconds is not None:
        add_tracked_time(call.db, entry["projectId"], seconds)
    emit(call, "TIME_ENTRY_UPDATED", entry)
    return Response.json(200, dump(_docs.without_rates(entry)))


def delete_entry(call: Call) -> Response:
    entry = _stored(call)
    call.db.execute("DELETE FROM time_entries WHERE id = ?", (entry["id"],))
    add_tracked_time(call.db, entry["projectId"], -_seconds(entry))
    emit(call, "TIME_ENTRY_DELETED", entry)
    return Response(204, b"")
