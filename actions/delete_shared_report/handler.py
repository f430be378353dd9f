from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.reports.helpers import shared_reports_path


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    report_id = params["shared_report_id"]
    # 204 with no body (docs/clockify-api.md §24.7); the bare /shared-reports/{id} is 405.
    client.delete_on_reports(shared_reports_path(client, params["workspace_id"], report_id))
    return {"deleted": True, "id": report_id}
