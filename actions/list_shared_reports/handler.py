from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import ActionError, ErrorType
from clockify_actions.resources.reports.helpers import shared_reports_path
from clockify_actions.resources.reports.wire import SharedReportListed, SharedReports

# Clockify's default page, the one size recorded live (docs/clockify-api.md §24.7).
_PAGE = 50


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    path = shared_reports_path(client, params["workspace_id"])
    which = params.get("show", "all").upper()
    found: list[SharedReportListed] = []
    # 1-based as the reports' pages are (INFERRED: never recorded).
    for number in range(1, client.settings.max_pages + 1):
        # camelCase pageSize: `page-size` is ignored there (§24.7). No Last-Page header was
        # recorded; `count` is every match, so it says when all are read.
        query = {"page": number, "pageSize": _PAGE, "sharedReportsFilter": which}
        page = client.on_reports("GET", path, SharedReports, params=query)
        found.extend(page.reports)
        if len(found) >= page.count or len(page.reports) < _PAGE:
            break
    else:
        raise ActionError(
            ErrorType.UPSTREAM,
            f"Clockify kept sending pages of shared reports: stopped after "
            f"{client.settings.max_pages:,} pages instead of returning a partial list.",
            retryable=False,
        )
    return {"count": len(found), "shared_reports": [_listed(report) for report in found]}


def _listed(report: SharedReportListed) -> dict[str, Any]:
    return {
        "id": report.id,
        "name": report.name,
        "type": report.type,
        "link": report.link,
        "author": report.report_author,
        "is_public": report.is_public,
        "fixed_date": report.fixed_date,
        "visible_to_users": [{"id": u.id, "name": u.name} for u in report.visible_to_users],
    }
