"""Reports, on the reports host (docs/clockify-api.md §24), asked for with a POST: the
detailed report (`sandbox_detailed`, with what the others share), the summary
(`sandbox_summary`), the weekly (`sandbox_weekly`) and the attendance report
(`sandbox_attendance`); and the shared reports, saved and rendered (`sandbox_shared`)."""

from __future__ import annotations

from clockify_actions.resources.reports.sandbox_attendance import attendance_report
from clockify_actions.resources.reports.sandbox_detailed import detailed_report
from clockify_actions.resources.reports.sandbox_shared import (
    TABLE,
    create_shared_report,
    delete_shared_report,
    list_shared_reports,
    render_shared_report,
    update_shared_report,
)
from clockify_actions.resources.reports.sandbox_summary import summary_report
from clockify_actions.resources.reports.sandbox_weekly import weekly_report
from clockify_actions.sandbox._resources import Resource, Route

_REPORTS = "/workspaces/{workspace}/reports"

RESOURCE = Resource(
    routes=(
        Route(f"{_REPORTS}/summary", {"POST": summary_report}, host="reports"),
        Route(f"{_REPORTS}/detailed", {"POST": detailed_report}, host="reports"),
        Route(f"{_REPORTS}/weekly", {"POST": weekly_report}, host="reports"),
        Route(
            f"{_REPORTS}/attendance",
            {"POST": attendance_report},
            host="reports",
            feature="ATTENDANCE_REPORT",
        ),
        Route(
            "/workspaces/{workspace}/shared-reports",
            {"GET": list_shared_reports, "POST": create_shared_report},
            host="reports",
            feature="SHARED_REPORTS",
        ),
        Route(
            "/workspaces/{workspace}/shared-reports/{report}",
            {"PUT": update_shared_report, "DELETE": delete_shared_report},
            host="reports",
            feature="SHARED_REPORTS",
        ),
        Route(
            "/shared-reports/{report}",
            {"GET": render_shared_report},
            host="reports",
            feature="SHARED_REPORTS",
        ),
    ),
    added_tables=(TABLE,),
)
