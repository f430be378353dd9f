from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.reports.helpers import (
    GROUPS,
    report_body,
    shared_report_output,
    shared_reports_path,
)
from clockify_actions.resources.reports.wire import SharedReport


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    kind = params.get("type", "summary")
    group_by = params.get("group_by")
    if group_by is not None and kind != "summary":
        raise invalid("/group_by", "groups only a summary: leave it out for a detailed report")
    group_by = group_by or ["project"]
    if len(set(group_by)) < len(group_by):
        raise invalid("/group_by", "names the same grouping twice")
    # The saved filter is a report's body; the key is `filter`, singular, and exportType,
    # dateRangeStart and dateRangeEnd are required in it (docs/clockify-api.md §24.7).
    saved = {**report_body(params), "exportType": "JSON_V1"}
    if kind == "summary":
        saved["summaryFilter"] = {"groups": [GROUPS[name] for name in group_by]}
    else:
        saved["detailedFilter"] = {"page": 1, "pageSize": 50}
    body = {
        "name": params["name"],
        "type": kind.upper(),  # `type`, not `reportType`
        "filter": saved,
        "isPublic": params.get("public", False),
        "fixedDate": params.get("fixed_date", False),
        "visibleToUsers": params.get("share_with_user_ids", []),
    }
    path = shared_reports_path(client, params["workspace_id"])
    # A POST on the reports host that saves: a write, never sent twice.
    report = client.on_reports("POST", path, SharedReport, body=body)
    return {"shared_report": shared_report_output(report)}
