from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.reports.helpers import report_body, report_path, window_output
from clockify_actions.resources.reports.wire import AttendanceReport, AttendanceRow
from clockify_actions.timeutil import format_duration, hours


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    body = report_body(params)
    spec: dict[str, Any] = {}
    if "sort_by" in params:
        spec["sortColumn"] = params["sort_by"].upper()
        body["sortOrder"] = "DESCENDING" if params.get("descending") else "ASCENDING"
    body["attendanceFilter"] = spec  # required, even when empty (docs/clockify-api.md §24)
    path = report_path(client, params["workspace_id"], "attendance")
    pages = client.report_pages(
        path, body, "attendanceFilter", AttendanceReport, lambda page: len(page.entities)
    )
    days = [_day(row) for page in pages for row in page.entities]
    return {**window_output(params), "count": len(days), "days": days}


def _day(row: AttendanceRow) -> dict[str, Any]:
    return {
        "user_id": row.user_id,
        "user_name": row.user_name,
        "date": row.date,
        "first_start": row.zoned_start,
        "last_end": row.zoned_end,
        "worked_seconds": row.total_duration,
        "worked": format_duration(row.total_duration),
        "worked_hours": hours(row.total_duration),
        "capacity_seconds": row.capacity,
        "overtime_seconds": row.overtime,
        "break_seconds": row.break_,
        "time_off_seconds": row.time_off,
        "running": row.has_running_entry,
    }
