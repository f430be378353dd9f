from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.reports.helpers import (
    GROUPS,
    earned,
    money,
    report_body,
    report_path,
    totals_output,
    window_output,
)
from clockify_actions.resources.reports.wire import SummaryGroup, SummaryReport
from clockify_actions.timeutil import format_duration, hours


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    group_by = params.get("group_by", ["project"])
    if len(set(group_by)) < len(group_by):
        raise invalid("/group_by", "names the same grouping twice")
    body = report_body(params)
    body["summaryFilter"] = {"groups": [GROUPS[name] for name in group_by]}
    path = report_path(client, params["workspace_id"], "summary")
    report = client.report(path, body, SummaryReport)
    return {
        **window_output(params),
        "group_by": group_by,
        "totals": totals_output(report.totals),
        "groups": [_group(group, group_by) for group in report.group_one],
    }


def _group(group: SummaryGroup, levels: list[str]) -> dict[str, Any]:
    output: dict[str, Any] = {
        "group": levels[0],
        "id": group.id or None,
        "name": group.name,
        "duration_seconds": group.duration,
        "duration": format_duration(group.duration),
        "hours": hours(group.duration),
        "amount": money(earned(group)) or 0,
    }
    if levels[1:]:
        output["groups"] = [_group(child, levels[1:]) for child in group.children]
    return output
