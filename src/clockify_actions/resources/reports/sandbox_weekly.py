"""The weekly report (Clockify's API facts, part 3, §35.10, §29.1 item 5): exactly seven days, one row
per user or project with its time per day.

The range must be exactly 7 days, inclusive (`…T00:00:00` to `…T23:59:59(.999)`) or
exclusive (to the next midnight), else 400 code 501 "Please select date range of exactly 7
days for weekly report"; `weeklyFilter.group` (USER or PROJECT) is required. The body's key
set is the spec's `TimeEntryWeeklyReportDto` (live 200, the body never quoted in public):
its row shapes follow the spec's `GroupOneDto` and `DailyTotalDto`, INFERRED.
"""

from __future__ import annotations

from datetime import date, timedelta

from clockify_actions.resources.reports.sandbox_detailed import (
    Entry,
    Lookup,
    entries_of,
    number,
    totals,
    wall_clock,
    zones,
)
from clockify_actions.sandbox._call import Body, Call
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._errors import ApiError, body_error
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._store import dump

_REPORTS = "com.clockify.reports.filter"
_WEEKLY_BODY = Body(f"{_REPORTS}.WeeklyReportFilterV1", f"{_REPORTS}.WeeklyReportFilterV1")
_GROUPS = ("USER", "PROJECT")
_WEEK = timedelta(days=7)


def _first_day(call: Call, data: Doc) -> date:
    zone = zones(call, data).local
    start, end = wall_clock(data, "dateRangeStart", zone), wall_clock(data, "dateRangeEnd", zone)
    # Both forms of one week are accepted: to the next midnight, or to its last second.
    if not _WEEK - timedelta(seconds=1) <= end - start <= _WEEK:
        raise ApiError(400, "Please select date range of exactly 7 days for weekly report", 501)
    return start.astimezone(zone).date()


def _group(data: Doc) -> str:
    spec = data.get("weeklyFilter")
    group = spec.get("group") if isinstance(spec, dict) else None
    if group is None:
        # Required (§40 item 34); the live wording of the refusal is unknown.
        raise ApiError(400, "weeklyFilter.group: must not be null", 501)
    if group not in _GROUPS:
        # An enum outside its values fails Jackson's conversion, as every body enum does.
        raise body_error(f"{_REPORTS}.WeeklyGroup", group)
    subgroup = spec.get("subgroup") if isinstance(spec, dict) else None
    if subgroup is not None and subgroup != "TIME":
        raise body_error(f"{_REPORTS}.WeeklySubgroup", subgroup)  # TIME is its one value
    return str(group)


def _days(entries: list[Entry], first: date, data: Doc, call: Call) -> list[Doc]:
    zone = zones(call, data).local
    days = []
    for offset in range(7):
        day = first + timedelta(days=offset)
        inside = [e for e in entries if e.start.astimezone(zone).date() == day]
        days.append(
            {
                "date": day.isoformat(),
                "duration": sum(entry.seconds for entry in inside),
                "amount": number(sum(entry.amount for entry in inside)),
            }
        )
    return days


def weekly_report(call: Call) -> Response:
    data = call.json(_WEEKLY_BODY)
    group = _group(data)
    first = _first_day(call, data)
    lookup = Lookup(call)
    entries = entries_of(call, data, zones(call, data).local, lookup)
    members: dict[str, list[Entry]] = {}
    for entry in entries:
        key = entry.doc["userId"] if group == "USER" else entry.doc["projectId"] or ""
        members.setdefault(key, []).append(entry)
    rows = []
    for key, inside in members.items():
        named = (lookup.users if group == "USER" else lookup.projects).get(key)
        name = named["name"] if named else "Without project"
        rows.append(
            {
                "id": key,
                "name": name,
                "nameLowerCase": name.lower(),
                "clientName": (named or {}).get("clientName", "") if group == "PROJECT" else "",
                "duration": sum(entry.seconds for entry in inside),
                "amount": number(sum(entry.amount for entry in inside)),
                "days": _days(inside, first, data, call),
                "children": [],
            }
        )
    report = {
        "totals": totals(entries),  # an array, as in the other reports (§29.1 item 7)
        "groupOne": sorted(rows, key=lambda row: (row["nameLowerCase"], row["id"])),
        "totalsByDay": _days(entries, first, data, call),
        "usersWithoutTime": [],
        "includeUsersWithoutTime": False,
        "decimalFormat": False,
        "trackTimeDownToSeconds": True,
    }
    return Response.json(200, dump(report))
