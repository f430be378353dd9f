"""The attendance report (Clockify's API facts, part 3, §35.11): one row per member and local day
with tracked time, from the sandbox's own entries.

`attendanceFilter` is required. The body is `{"entities": […], "totals": {…}}`: the rows carry
the keys of the recorded live row (`break, capacity, date, hasRunningEntry, imageUrl,
overtime, remainingCapacity, timeOff, totalDuration, userId, userName, zonedEnd,
zonedStart`, CONFIRMED-LIVE(1)), durations in seconds and local times without an offset.
The totals object's keys were never recorded: the sums of the rows' durations (INFERRED).
A day's capacity is the member profile's default of 8 hours (INFERRED); breaks, time off
and running entries are not counted.
"""

from __future__ import annotations

from clockify_actions.resources.reports.sandbox_detailed import (
    Entry,
    Lookup,
    entries_of,
    local_time,
    zones,
)
from clockify_actions.sandbox._call import Body, Call
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._errors import ApiError, body_error
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._store import dump

_REPORTS = "com.clockify.reports.filter"
_BODY = Body(f"{_REPORTS}.AttendanceReportFilterV1", f"{_REPORTS}.AttendanceReportFilterV1")
_CAPACITY = 8 * 3600
_SORT_COLUMNS = (
    "USER",
    "DATE",
    "START",
    "END",
    "BREAK",
    "WORK",
    "CAPACITY",
    "OVERTIME",
    "TIME_OFF",
)


def _row(user: Doc, day: str, entries: list[Entry], call: Call, data: Doc) -> Doc:
    zone = zones(call, data).local
    worked = sum(entry.seconds for entry in entries)
    return {
        "break": 0,
        "capacity": _CAPACITY,
        "date": day,
        "hasRunningEntry": False,
        "imageUrl": user["profilePicture"],
        "overtime": max(worked - _CAPACITY, 0),
        "remainingCapacity": max(_CAPACITY - worked, 0),
        "timeOff": 0,
        "totalDuration": worked,
        "userId": user["id"],
        "userName": user["name"],
        "zonedEnd": local_time(max(entry.end for entry in entries), zone),
        "zonedStart": local_time(min(entry.start for entry in entries), zone),
    }


def attendance_report(call: Call) -> Response:
    data = call.json(_BODY)
    spec = data.get("attendanceFilter")
    if not isinstance(spec, dict):
        raise ApiError(400, "attendanceFilter: must not be null", 501)  # wording unrecorded
    column = spec.get("sortColumn")
    if column is not None and column not in _SORT_COLUMNS:
        # An enum outside its values fails Jackson's conversion, as every body enum does.
        raise body_error(f"{_REPORTS}.AttendanceSortColumn", column)
    number, size = spec.get("page", 1), spec.get("pageSize", 50)
    if not isinstance(number, int) or not isinstance(size, int) or number < 1 or size < 1:
        raise ApiError(400, "Page and page size must be positive values", 501)  # unrecorded
    zone = zones(call, data).local
    lookup = Lookup(call)
    days: dict[tuple[str, str], list[Entry]] = {}
    for entry in entries_of(call, data, zone, lookup):
        key = (entry.doc["userId"], entry.start.astimezone(zone).date().isoformat())
        days.setdefault(key, []).append(entry)
    rows = [
        _row(lookup.users[user_id], day, inside, call, data)
        for (user_id, day), inside in sorted(
            days.items(), key=lambda item: (item[0][1], item[0][0])
        )
    ]
    if column is not None:
        descending = data.get("sortOrder") == "DESCENDING"
        rows.sort(key=lambda row: row[_SORT_COLUMNS[column]], reverse=descending)
    totals = {
        key: sum(row[key] for row in rows)
        for key in ("totalDuration", "capacity", "overtime", "break", "timeOff")
    }
    shown = rows[(number - 1) * size : number * size]
    return Response.json(200, dump({"entities": shown, "totals": totals}))
