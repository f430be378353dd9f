from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.reports.helpers import (
    earned,
    money,
    shared_report_output,
    totals_output,
)
from clockify_actions.resources.reports.wire import RenderedSharedReport
from clockify_actions.timeutil import format_duration, hours


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    if ("start" in params) != ("end" in params):
        given = "start" if "start" in params else "end"
        raise invalid(f"/{given}", "give start and end together")
    query = {}
    if "start" in params:
        query = {"dateRangeStart": params["start"], "dateRangeEnd": params["end"]}
    # No workspace in the path: the workspace-prefixed GET is refused with 405 (§24.7).
    path = client.path("shared-reports", params["shared_report_id"])
    report = client.on_reports("GET", path, RenderedSharedReport, params=query)
    return {
        "shared_report": shared_report_output(report.filters),
        "totals": totals_output(report.totals),
        "groups": [
            {
                "id": group.id or None,
                "name": group.name,
                "duration_seconds": group.duration,
                "duration": format_duration(group.duration),
                "hours": hours(group.duration),
                "amount": money(earned(group)) or 0,
            }
            for group in report.group_one
        ],
    }
