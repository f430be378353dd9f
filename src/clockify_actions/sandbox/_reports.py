"""The reports host: summary and detailed reports computed from the sandbox's own time
entries, so that a report's totals equal the sum of the entries the list returns.

Shapes follow docs/clockify-api.md §24.3 and §24.4: `totals`, `groupOne` with nested
`children`, `timeentries` with `_id`, durations in integer seconds, money in cents, instants
with the offset of the request's `timeZone`, and a `Last-Page` header on detailed pages.
`dateRangeStart`/`dateRangeEnd` are read as wall-clock times in that zone (§24.2) and the
end is inclusive. Where live behaviour is unknown, the choice made is said in a comment.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ._call import Body, Call
from ._docs import Doc
from ._errors import ApiError
from ._http import Response
from ._store import dump

_REPORTS = "com.clockify.reports.filter"
_SUMMARY_BODY = Body(f"{_REPORTS}.SummaryReportFilterV1", f"{_REPORTS}.SummaryReportFilterV1")
_DETAILED_BODY = Body(f"{_REPORTS}.DetailedReportFilterV1", f"{_REPORTS}.DetailedReportFilterV1")
_KNOWN_GROUPS = {"PROJECT", "CLIENT", "USER", "TASK", "TAG", "DATE", "WEEK", "MONTH", "TIMEENTRY"}
_EMULATED_GROUPS = {"PROJECT", "CLIENT", "USER", "TASK", "TAG", "DATE"}
_MAX_GROUPS = 3
_MAX_PAGE_SIZE = 1000  # §24.2
_DEFAULT_PAGE_SIZE = 50  # unknown live (§26)
# Clients send `…T00:00:00.000Z` or `…T00:00:00` (§24.2): a zone is optional.
_RANGE = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?)(Z|[+-]\d\d:?\d\d)?")


@dataclass(frozen=True)
class _Entry:
    doc: Doc
    start: datetime
    end: datetime
    seconds: int
    billable: bool
    rate: float
    amount: float


# --- the request ------------------------------------------------------------------------------


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


def _wall_clock(data: Doc, key: str, zone: ZoneInfo) -> datetime:
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


class _Lookup:
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


def _entries(call: Call, data: Doc, zone: ZoneInfo, lookup: _Lookup) -> list[_Entry]:
    """The finished entries of the workspace that start in the range, filters applied.
    Running entries are left out: a report counts tracked time (LIKELY; unrecorded live)."""
    start = _wall_clock(data, "dateRangeStart", zone)
    end = _wall_clock(data, "dateRangeEnd", zone)
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
        found.append(_Entry(doc, began, ended, seconds, doc["billable"], rate, amount))
    return found


def _number(value: float) -> float | int:
    """Money as Clockify sends it: a JSON number, fractional only when it must be."""
    return int(value) if float(value).is_integer() else value


def _totals(entries: list[_Entry]) -> list[Doc | None]:
    if not entries:
        return [None]  # an empty report's totals (INFERRED, §24.3)
    amount = sum(entry.amount for entry in entries)
    return [
        {
            "_id": "",
            "totalTime": sum(entry.seconds for entry in entries),
            "totalBillableTime": sum(entry.seconds for entry in entries if entry.billable),
            "entriesCount": len(entries),
            "totalAmount": _number(amount),
            "amounts": [{"type": "EARNED", "value": _number(round(amount))}],
        }
    ]


# --- summary ----------------------------------------------------------------------------------


def _keys(group: str, entry: _Entry, lookup: _Lookup, zone: ZoneInfo) -> list[Doc]:
    """The groups of one kind an entry falls in: one, or one per tag. An entry without a
    project, client, task or tag falls in a group with `_id` "" (its name is a choice)."""
    doc = entry.doc
    if group == "PROJECT":
        project = lookup.projects.get(doc["projectId"] or "")
        if project is None:
            return [{"_id": "", "name": "Without project", "color": "", "clientName": ""}]
        return [
            {
                "_id": project["id"],
                "name": project["name"],
                "color": project["color"],
                "clientName": project["clientName"],
            }
        ]
    if group == "CLIENT":
        client = lookup.clients.get(lookup.client_id(doc) or "")
        return [{"_id": client["id"], "name": client["name"]} if client else _without("client")]
    if group == "USER":
        user = lookup.users[doc["userId"]]
        return [{"_id": user["id"], "name": user["name"]}]
    if group == "TASK":
        task = lookup.tasks.get(doc["taskId"] or "")
        return [{"_id": task["id"], "name": task["name"]} if task else _without("task")]
    if group == "TAG":
        tags = [lookup.tags[tag] for tag in doc["tagIds"] or [] if tag in lookup.tags]
        return [{"_id": tag["id"], "name": tag["name"]} for tag in tags] or [_without("tag")]
    day = entry.start.astimezone(zone).date().isoformat()  # the day in the request's zone
    return [{"_id": day, "name": day}]


def _without(what: str) -> Doc:
    return {"_id": "", "name": f"Without {what}"}


def _grouped(
    entries: list[_Entry], groups: list[str], lookup: _Lookup, zone: ZoneInfo, currency: str
) -> list[Doc]:
    members: dict[str, tuple[Doc, list[_Entry]]] = {}
    for entry in entries:
        for key in _keys(groups[0], entry, lookup, zone):
            members.setdefault(key["_id"], (key, []))[1].append(entry)
    result = []
    for key, inside in members.values():
        amount = sum(entry.amount for entry in inside)
        group = {
            **key,
            "nameLowerCase": key["name"].lower(),
            "currency": currency,
            "workspaceCurrencyCode": currency,
            "duration": sum(entry.seconds for entry in inside),
            "amount": _number(amount),
            "amounts": [{"type": "EARNED", "value": _number(round(amount))}],
        }
        if groups[1:]:
            group["children"] = _grouped(inside, groups[1:], lookup, zone, currency)
        result.append(group)
    # Clockify's default order (sortColumn GROUP) is by name (LIKELY).
    return sorted(result, key=lambda group: (group["nameLowerCase"], group["_id"]))


def _groups(data: Doc) -> list[str]:
    spec = data.get("summaryFilter")
    if not isinstance(spec, dict):
        raise ApiError(400, "summaryFilter: must not be null", 501)  # live wording unknown
    groups = spec.get("groups") or ["PROJECT"]
    if not isinstance(groups, list) or any(
        not isinstance(group, str) or group not in _KNOWN_GROUPS for group in groups
    ):
        raise ApiError(400, "Invalid group name", 501)  # §24.2; the code is unrecorded
    if len(groups) > _MAX_GROUPS:
        raise ApiError(400, f"At most {_MAX_GROUPS} groups are allowed", 501)  # wording unknown
    unserved = [group for group in groups if group not in _EMULATED_GROUPS]
    if unserved:
        raise ApiError(
            501, f"Not emulated: the sandbox does not group reports by {unserved[0]} yet.", 501
        )
    return groups


def summary_report(call: Call) -> Response:
    data = call.json(_SUMMARY_BODY)
    groups = _groups(data)
    zone = _zone(call, data)
    lookup = _Lookup(call)
    entries = _entries(call, data, zone, lookup)
    currency = call.workspace["hourlyRate"]["currency"]
    grouped = _grouped(entries, groups, lookup, zone, currency)
    totals: Doc = {"groupOneTotalCount": len(grouped)}
    if len(groups) > 1:
        totals["groupTwoTotalCount"] = sum(len(group["children"]) for group in grouped)
    report = {
        "totals": _totals(entries),
        "donutChart": [],
        "groupTotals": totals,
        "groupOne": grouped,
    }
    return Response.json(200, dump(report))


# --- detailed ---------------------------------------------------------------------------------


def _zoned(moment: datetime, zone: ZoneInfo) -> str:
    """An instant with the offset of the request's zone, `Z` for a zero offset (§24.3)."""
    return moment.astimezone(zone).isoformat(timespec="seconds").replace("+00:00", "Z")


def _detailed_entry(entry: _Entry, lookup: _Lookup, zone: ZoneInfo, currency: str) -> Doc:
    doc = entry.doc
    project = lookup.projects.get(doc["projectId"] or "")
    client = lookup.clients.get(lookup.client_id(doc) or "")
    task = lookup.tasks.get(doc["taskId"] or "")
    user = lookup.users[doc["userId"]]
    earned_rate = _number(entry.rate) if entry.billable else 0
    return {
        "_id": doc["id"],
        "description": doc["description"],
        "userId": doc["userId"],
        "timeInterval": {
            "start": _zoned(entry.start, zone),
            "end": _zoned(entry.end, zone),
            "duration": entry.seconds,
            "timeZone": zone.key,
        },
        "billable": doc["billable"],
        "projectId": doc["projectId"],
        "taskId": doc["taskId"],
        "tagIds": doc["tagIds"],
        "type": doc["type"],
        "isLocked": doc["isLocked"],
        "currency": currency,
        "amount": _number(entry.amount),
        "rate": earned_rate,
        "earnedAmount": _number(entry.amount),
        "earnedRate": earned_rate,
        "costAmount": 0,
        "costRate": 0,
        "userName": user["name"],
        "userEmail": user["email"],
        "projectName": project["name"] if project else None,
        "projectColor": project["color"] if project else None,
        "clientName": client["name"] if client else None,
        "clientId": client["id"] if client else None,
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
    zone = _zone(call, data)
    lookup = _Lookup(call)
    entries = _entries(call, data, zone, lookup)
    newest_first = data.get("sortOrder", "DESCENDING") != "ASCENDING"
    entries.sort(key=lambda entry: (entry.start, entry.doc["id"]), reverse=newest_first)
    currency = call.workspace["hourlyRate"]["currency"]
    shown = entries[(page - 1) * size : page * size]
    report = {
        "totals": _totals(entries),
        "timeentries": [_detailed_entry(entry, lookup, zone, currency) for entry in shown],
    }
    last = "true" if page * size >= len(entries) else "false"
    return Response.json(200, dump(report), {"Last-Page": last})
