"""The reports host: what every report reads (its zone, range, filters and entries), and
the detailed report. The summary is `sandbox_summary`, the weekly `sandbox_weekly`.

Reports are computed from the sandbox's own time entries, so that a report's totals equal
the sum of the entries the list returns. Shapes follow docs/clockify-api.md §24.3, as part 3
of Clockify's API facts corrects it (§29.1): `timeentries` with `_id`, durations in integer seconds, money in cents,
and a `Last-Page` header on detailed pages. `dateRangeStart`/`dateRangeEnd` are read as
wall-clock times in the request's zone (§24.2) and the end is inclusive. Where live
behaviour is unknown, the choice made is said in a comment.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from clockify_actions.sandbox._call import Body, Call
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._errors import ApiError
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._store import dump

_REPORTS = "com.clockify.reports.filter"
_DETAILED_BODY = Body(f"{_REPORTS}.DetailedReportFilterV1", f"{_REPORTS}.DetailedReportFilterV1")
_MAX_PAGE_SIZE = 1000  # §24.2
_DEFAULT_PAGE_SIZE = 50  # unknown live (§26)
# Clients send `…T00:00:00.000Z` or `…T00:00:00` (§24.2): a zone is optional.
_RANGE = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?)(Z|[+-]\d\d:?\d\d)?")


@dataclass(frozen=True)
class Entry:
    doc: Doc
    start: datetime
    end: datetime
    seconds: int
    billable: bool
    rate: float
    amount: float


# --- the request ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Zones:
    """The zone a report reads its range and days in (the body's `timeZone`, else the
    profile's), and the one it writes `start`/`end` in: the body's, or UTC when the body
    names none (§29.1 item 1, LIKELY), the local time then only in the zoned fields."""

    local: ZoneInfo
    shown: ZoneInfo


def zones(call: Call, data: Doc) -> Zones:
    local = _zone(call, data)
    return Zones(local, local if data.get("timeZone") is not None else ZoneInfo("UTC"))


def _zone(call: Call, data: Doc) -> ZoneInfo:
    name = data.get("timeZone")
    if name is None:
        (text,) = call.db.execute("SELECT doc FROM users WHERE id = ?", (call.user_id,)).fetchone()
        name = (json.loads(text).get("settings") or {}).get("timeZone") or "UTC"
    try:
        if not isinstance(name, str):
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        # The live answer to an unknown zone is unknown.
        raise ApiError(400, f"Invalid time zone: {name}", 501) from None


def wall_clock(data: Doc, key: str, zone: ZoneInfo) -> datetime:
    """The instant a range bound names: its UTC digits read as a wall-clock time in the
    request's zone (§24.2)."""
    raw = data.get(key)
    if raw is None:
        raise ApiError(400, f"{key}: must not be null", 501)  # live wording unknown
    match = _RANGE.fullmatch(raw) if isinstance(raw, str) else None
    if match is None:
        raise ApiError(400, f"You entered invalid value for field : [{key}]", 501)
    try:
        moment = datetime.fromisoformat(match[1] + (match[2] or "Z"))
    except ValueError:
        raise ApiError(400, f"You entered invalid value for field : [{key}]", 501) from None
    digits = moment.astimezone(UTC).replace(tzinfo=None)
    return digits.replace(tzinfo=zone).astimezone(UTC)


def _ids_filter(data: Doc, key: str) -> Callable[[list[str]], bool]:
    """`{ids, contains}` as a test of an entry's values (one for a project, several for
    tags). An absent filter or an empty `ids` keeps everything."""
    spec = data.get(key)
    if not isinstance(spec, dict) or not spec.get("ids"):
        return lambda values: True
    ids = set(spec["ids"])
    contains = spec.get("contains") or "CONTAINS"
    if contains == "DOES_NOT_CONTAIN":
        return lambda values: not ids & set(values)
    if contains == "CONTAINS_ONLY":
        return lambda values: bool(values) and set(values) <= ids
    return lambda values: bool(ids & set(values))


def _rows(call: Call, table: str) -> dict[str, Doc]:
    rows = call.db.execute(f"SELECT doc FROM {table}").fetchall()
    return {doc["id"]: doc for doc in (json.loads(text) for (text,) in rows)}


class Lookup:
    """The names that reports show beside ids."""

    def __init__(self, call: Call) -> None:
        self.projects = _rows(call, "projects")
        self.clients = _rows(call, "clients")
        self.tasks = _rows(call, "tasks")
        self.tags = _rows(call, "tags")
        self.users = _rows(call, "users")

    def client_id(self, entry: Doc) -> str | None:
        project = self.projects.get(entry["projectId"] or "")
        return (project or {}).get("clientId") or None


def entries_of(call: Call, data: Doc, zone: ZoneInfo, lookup: Lookup) -> list[Entry]:
    """The finished entries of the workspace that start in the range, filters applied.
    Running entries are left out: a report counts tracked time (LIKELY; unrecorded live)."""
    start = wall_clock(data, "dateRangeStart", zone)
    end = wall_clock(data, "dateRangeEnd", zone)
    users, projects = _ids_filter(data, "users"), _ids_filter(data, "projects")
    clients, tasks, tags = (
        _ids_filter(data, "clients"),
        _ids_filter(data, "tasks"),
        _ids_filter(data, "tags"),
    )
    billable = data.get("billable")
    rows = call.db.execute(
        "SELECT doc FROM time_entries WHERE workspace_id = ? AND NOT running",
        (call.params["workspace"],),
    )
    found = []
    for (text,) in rows:
        doc = json.loads(text)
        began = datetime.fromisoformat(doc["timeInterval"]["start"])
        if not start <= began <= end:  # the end is inclusive (§24.2)
            continue
        client = lookup.client_id(doc)
        if not (
            users([doc["userId"]])
            and projects([doc["projectId"]] if doc["projectId"] else [])
            and clients([client] if client else [])
            and tasks([doc["taskId"]] if doc["taskId"] else [])
            and tags(doc["tagIds"] or [])
            and (billable is None or bool(billable) == doc["billable"])
        ):
            continue
        ended = datetime.fromisoformat(doc["timeInterval"]["end"])
        seconds = int((ended - began).total_seconds())
        rate = float((doc.get("hourlyRate") or {}).get("amount") or 0)
        amount = seconds * rate / 3600 if doc["billable"] else 0.0
        found.append(Entry(doc, began, ended, seconds, doc["billable"], rate, amount))
    return found


def number(value: float) -> float | int:
    """Money as Clockify sends it: a JSON number, fractional only when it must be."""
    return int(value) if float(value).is_integer() else value


def totals(entries: list[Entry]) -> list[Doc | None]:
    """The detailed report's totals row: with no rate, `totalAmount` 0 and one EARNED 0
    (the recorded 2023 body, §29.1 item 2)."""
    if not entries:
        return [None]  # an empty report's totals (INFERRED, §24.3)
    amount = sum(entry.amount for entry in entries)
    return [
        {
            "_id": "",
            "totalTime": sum(entry.seconds for entry in entries),
            "totalBillableTime": sum(entry.seconds for entry in entries if entry.billable),
            "entriesCount": len(entries),
            "totalAmount": number(amount),
            "amounts": [{"type": "EARNED", "value": number(round(amount))}],
        }
    ]


def local_time(moment: datetime, zone: ZoneInfo) -> str:
    """A wall-clock time without a zone, as `zonedStart` is written."""
    return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M:%S")


def offset_seconds(moment: datetime, zone: ZoneInfo) -> int:
    offset = moment.astimezone(zone).utcoffset()
    return 0 if offset is None else int(offset.total_seconds())


# --- detailed ---------------------------------------------------------------------------------


def _instant(moment: datetime, zone: ZoneInfo) -> str:
    """An instant with the offset of `zone`, `Z` for a zero offset (§24.3)."""
    return moment.astimezone(zone).isoformat(timespec="seconds").replace("+00:00", "Z")


def _interval(entry: Entry, zones: Zones) -> Doc:
    local = zones.local
    return {
        "start": _instant(entry.start, zones.shown),
        "end": _instant(entry.end, zones.shown),
        "duration": entry.seconds,
        "timeZone": local.key,
        # 2026 items (§29.1 item 2): the local time and its offset in seconds.
        "zonedStart": local_time(entry.start, local),
        "zonedEnd": local_time(entry.end, local),
        "offStart": offset_seconds(entry.start, local),
        "offEnd": offset_seconds(entry.end, local),
    }


def _detailed_entry(entry: Entry, lookup: Lookup, zones: Zones, currency: str) -> Doc:
    doc = entry.doc
    project = lookup.projects.get(doc["projectId"] or "")
    client = lookup.clients.get(lookup.client_id(doc) or "")
    task = lookup.tasks.get(doc["taskId"] or "")
    user = lookup.users[doc["userId"]]
    # With no rate the item's `amount` and `rate` are null, while the totals say 0 (§29.1
    # item 2); that the earned pair follows them is INFERRED.
    if entry.rate:
        rate: float | int | None = number(entry.rate) if entry.billable else 0
        amount: float | int | None = number(entry.amount)
    else:
        rate = amount = None
    return {
        "_id": doc["id"],
        "description": doc["description"],
        "userId": doc["userId"],
        "timeInterval": _interval(entry, zones),
        "billable": doc["billable"],
        "projectId": doc["projectId"],
        "taskId": doc["taskId"],
        "tagIds": doc["tagIds"],
        "approvalRequestId": None,  # every recorded item carries it (§29.1 item 2)
        "type": doc["type"],
        "isLocked": doc["isLocked"],
        "currency": currency,
        "amount": amount,
        "rate": rate,
        "earnedAmount": amount,
        "earnedRate": rate,
        "costAmount": 0,
        "costRate": 0,
        "userName": user["name"],
        "userEmail": user["email"],
        "projectName": project["name"] if project else None,
        "projectColor": project["color"] if project else None,
        # Empty strings, not null, without a client (§29.1 item 2).
        "clientName": client["name"] if client else "",
        "clientId": client["id"] if client else "",
        "taskName": task["name"] if task else None,
    }


def _paging(data: Doc) -> tuple[int, int]:
    spec = data.get("detailedFilter")
    if not isinstance(spec, dict):
        raise ApiError(400, "detailedFilter: must not be null", 501)  # live wording unknown
    page, size = spec.get("page", 1), spec.get("pageSize", _DEFAULT_PAGE_SIZE)
    if not isinstance(page, int) or not isinstance(size, int) or page < 1 or size < 1:
        raise ApiError(400, "Page and page size must be positive values", 501)  # unknown
    if size > _MAX_PAGE_SIZE:
        # Refused live (§24.2, [PBI] #16); the message was not recorded.
        raise ApiError(400, f"Page size cannot be larger than {_MAX_PAGE_SIZE:,}.", 501)
    return page, size


def detailed_report(call: Call) -> Response:
    data = call.json(_DETAILED_BODY)
    page, size = _paging(data)
    zoned = zones(call, data)
    lookup = Lookup(call)
    entries = entries_of(call, data, zoned.local, lookup)
    newest_first = data.get("sortOrder", "DESCENDING") != "ASCENDING"
    entries.sort(key=lambda entry: (entry.start, entry.doc["id"]), reverse=newest_first)
    currency = call.workspace["hourlyRate"]["currency"]
    shown = entries[(page - 1) * size : page * size]
    report = {
        "totals": totals(entries),
        "timeentries": [_detailed_entry(entry, lookup, zoned, currency) for entry in shown],
    }
    last = "true" if page * size >= len(entries) else "false"
    return Response.json(200, dump(report), {"Last-Page": last})
