"""Summary and detailed reports: the request body both send to the reports host, and the
output shapes they share.

Clockify reads `dateRangeStart`/`dateRangeEnd` as wall-clock times in the body's
`timeZone` and includes the end (docs/clockify-api.md §24.2). The actions take an exact
`[start, end)`, so they send the wall-clock digits of `start` in the chosen zone and of the
last millisecond before `end`: Clockify stores whole seconds (§10.5), so an entry that
starts before `end` is in, one that starts at `end` is out.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.reports.wire import ReportTotals, SharedReport, SummaryGroup
from clockify_actions.timeutil import format_duration, hours, parse_timestamp, to_wire

# The input's group names and Clockify's.
GROUPS = {
    "project": "PROJECT",
    "client": "CLIENT",
    "user": "USER",
    "task": "TASK",
    "tag": "TAG",
    "date": "DATE",
}
# Input filters and the body's `{ids, contains, status}` filter they become.
_ID_FILTERS = {
    "project_ids": "projects",
    "client_ids": "clients",
    "user_ids": "users",
    "tag_ids": "tags",
}
_LAST_MOMENT = timedelta(milliseconds=1)


def report_body(params: dict[str, Any]) -> dict[str, Any]:
    """The filter body of a report over the caller's `[start, end)` in `time_zone`."""
    start, end = parse_timestamp(params["start"]), parse_timestamp(params["end"])
    if end <= start:
        raise invalid("/end", f"end ({to_wire(end)}) must be later than start ({to_wire(start)})")
    name = params.get("time_zone", "UTC")
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise invalid(
            "/time_zone", f"{name!r} is not a known IANA time zone, e.g. Europe/Berlin or UTC"
        ) from None
    body: dict[str, Any] = {
        "dateRangeStart": _wall_clock(start, zone),
        "dateRangeEnd": _wall_clock(end - _LAST_MOMENT, zone),
        "timeZone": zone.key,
    }
    for key, field in _ID_FILTERS.items():
        if params.get(key):
            body[field] = {"ids": params[key], "contains": "CONTAINS", "status": "ALL"}
    if "billable" in params:
        body["billable"] = params["billable"]
    return body


def _wall_clock(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return local.strftime("%Y-%m-%dT%H:%M:%S.") + f"{local.microsecond // 1000:03d}Z"


def report_path(client: ClockifyClient, workspace_id: str, kind: str) -> str:
    return client.path("workspaces", workspace_id, "reports", kind)


def window_output(params: dict[str, Any]) -> dict[str, Any]:
    """The window and zone the report covers, as the caller gave them, in UTC."""
    return {
        "start": to_wire(parse_timestamp(params["start"])),
        "end": to_wire(parse_timestamp(params["end"])),
        "time_zone": ZoneInfo(params.get("time_zone", "UTC")).key,
    }


def money(amount: float | None) -> float | int | None:
    """Cents as Clockify sends them, whole when they are."""
    if amount is None:
        return None
    return int(amount) if float(amount).is_integer() else amount


def totals_output(totals: list[ReportTotals | None]) -> dict[str, Any]:
    """A report's totals; an empty report's (`[]` or `[null]`) are zero."""
    found = next((total for total in totals if total is not None), None)
    seconds, billable = (0, 0) if found is None else (found.total_time, found.total_billable_time)
    return {
        "entries_count": 0 if found is None else found.entries_count,
        "duration_seconds": seconds,
        "duration": format_duration(seconds),
        "hours": hours(seconds),
        "billable_seconds": billable,
        "billable_duration": format_duration(billable),
        "billable_hours": hours(billable),
        "amount": (None if found is None else money(found.total_amount)) or 0,
    }


def earned(group: SummaryGroup) -> float | None:
    """The amount a summary group earned: `amount`, else the EARNED entry of `amounts`
    (DATE and USER rows carry only `amounts`: Clockify's API facts, part 3, §29.1 item 3)."""
    if group.amount is not None:
        return group.amount
    return next((a.value for a in group.amounts if a.type == "EARNED"), None)


def shared_report_output(report: SharedReport) -> dict[str, Any]:
    """A shared report's settings in the pack's vocabulary (`SharedReport`)."""
    saved = report.filter
    return {
        "id": report.id,
        "name": report.name,
        "type": report.type,
        "is_public": report.is_public,
        "fixed_date": report.fixed_date,
        "visible_to_user_ids": list(report.visible_to_users),
        "visible_to_user_group_ids": list(report.visible_to_user_groups),
        "date_range_start": None if saved is None else saved.date_range_start,
        "date_range_end": None if saved is None else saved.date_range_end,
        "workspace_id": report.workspace_id,
        "user_id": report.user_id,
    }


def shared_reports_path(client: ClockifyClient, workspace_id: str, *rest: str) -> str:
    """A workspace's shared reports on the reports host (`/shared-reports/{id}` alone is
    only for reading one)."""
    return client.path("workspaces", workspace_id, "shared-reports", *rest)
