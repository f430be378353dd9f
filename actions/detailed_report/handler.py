from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.reports.helpers import (
    money,
    report_body,
    report_path,
    totals_output,
    window_output,
)
from clockify_actions.resources.reports.wire import DetailedEntry, DetailedReport, ReportTotals
from clockify_actions.timeutil import format_duration, hours, parse_timestamp, to_wire


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    body = report_body(params)
    body["sortOrder"] = "ASCENDING"
    body["detailedFilter"] = {"sortColumn": "DATE", "options": {"totals": "CALCULATE"}}
    path = report_path(client, params["workspace_id"], "detailed")
    totals: list[ReportTotals | None] | None = None
    entries: list[dict[str, Any]] = []
    pages = client.report_pages(
        path, body, "detailedFilter", DetailedReport, lambda page: len(page.entries)
    )
    for page in pages:
        if totals is None:
            totals = page.totals  # every page carries the whole report's totals
        entries.extend(_entry(entry) for entry in page.entries)
    return {
        **window_output(params),
        "totals": totals_output(totals or []),
        "count": len(entries),
        "time_entries": entries,
    }


def _entry(entry: DetailedEntry) -> dict[str, Any]:
    interval = entry.time_interval
    seconds = interval.duration or 0
    return {
        "id": entry.id,
        "description": entry.description or "",
        # The reports host writes instants with the request zone's offset; the pack says UTC.
        "start": to_wire(parse_timestamp(interval.start)),
        "end": to_wire(parse_timestamp(interval.end or interval.start)),
        "duration_seconds": seconds,
        "duration": format_duration(seconds),
        "hours": hours(seconds),
        "user_id": entry.user_id,
        "user_name": entry.user_name,
        "project_id": entry.project_id or None,
        "project_name": entry.project_name or None,
        "client_id": entry.client_id or None,
        "client_name": entry.client_name or None,
        "task_id": entry.task_id or None,
        "task_name": entry.task_name or None,
        "tag_ids": list(entry.tag_ids or []),
        "billable": entry.billable,
        "amount": money(entry.amount) or 0,
    }
