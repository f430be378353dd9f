from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.reports.helpers import (
    money,
    report_body,
    report_path,
    totals_output,
)
from clockify_actions.resources.reports.wire import WeeklyDay, WeeklyReport, WeeklyRow
from clockify_actions.timeutil import format_duration, hours


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    name = params.get("time_zone", "UTC")
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise invalid(
            "/time_zone", f"{name!r} is not a known IANA time zone, e.g. Europe/Berlin or UTC"
        ) from None
    try:
        first = date.fromisoformat(params["week_start"])
    except ValueError:
        raise invalid(
            "/week_start", "is no calendar day: give YYYY-MM-DD, e.g. 2026-01-26"
        ) from None
    # Local midnights 7 calendar days apart: exactly 7 days of wall clock, which is what
    # Clockify checks (docs/clockify-api.md §24.2), whatever a daylight-saving change does.
    start = datetime.combine(first, time(), zone)
    end = datetime.combine(first + timedelta(days=7), time(), zone)
    body = report_body({**params, "start": start.isoformat(), "end": end.isoformat()})
    group = params.get("group_by", "user")
    body["weeklyFilter"] = {"group": group.upper(), "subgroup": "TIME"}
    report = client.report(
        report_path(client, params["workspace_id"], "weekly"), body, WeeklyReport
    )
    return {
        "week_start": first.isoformat(),
        "week_end": (first + timedelta(days=6)).isoformat(),
        "time_zone": zone.key,
        "group_by": group,
        "totals": totals_output(report.totals),
        "days": [_day(day) for day in report.totals_by_day],
        "rows": [_row(row) for row in report.group_one],
    }


def _time(seconds: float, amount: float | None) -> dict[str, Any]:
    whole = int(seconds)
    return {
        "duration_seconds": whole,
        "duration": format_duration(whole),
        "hours": hours(whole),
        "amount": money(amount) or 0,
    }


def _day(day: WeeklyDay) -> dict[str, Any]:
    return {"date": day.date, **_time(day.duration, day.amount)}


def _row(row: WeeklyRow) -> dict[str, Any]:
    return {
        "id": row.id or None,
        "name": row.name,
        **_time(row.duration, row.amount),
        "days": [_day(day) for day in row.days],
    }
