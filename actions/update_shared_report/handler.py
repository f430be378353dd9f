from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.reports.helpers import shared_report_output, shared_reports_path
from clockify_actions.resources.reports.wire import RenderedSharedReport, SharedReport

_FIELDS = {
    "name": "name",
    "public": "isPublic",
    "fixed_date": "fixedDate",
    "share_with_user_ids": "visibleToUsers",
}


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    if not any(key in params for key in _FIELDS):
        raise invalid("", f"give at least one field to change: {', '.join(_FIELDS)}")
    report_id = params["shared_report_id"]
    body = {field: params[key] for key, field in _FIELDS.items() if key in params}
    if "name" not in body:
        # Required in every PUT (docs/clockify-api.md §24.7): the saved one, read first.
        current = client.on_reports(
            "GET", client.path("shared-reports", report_id), RenderedSharedReport
        )
        body["name"] = current.filters.name
    path = shared_reports_path(client, params["workspace_id"], report_id)
    # A merge of what the body names (§24.7): sending it twice leaves the same report.
    report = client.on_reports("PUT", path, SharedReport, body=body)
    return {"shared_report": shared_report_output(report)}
