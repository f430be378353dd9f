from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.expenses.helpers import money
from clockify_actions.resources.expenses.wire import (
    ExpenseReport,
    ExpenseReportItem,
    ExpenseReportTotals,
)

_FILTERS = {"user_ids": "users", "project_ids": "projects", "category_ids": "categories"}


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    start, end = params["start_date"], params["end_date"]
    if end < start:
        raise invalid("/end_date", f"end_date ({end}) must not be before start_date ({start})")
    # Whole UTC days, Clockify's end included: an expense's day is its midnight UTC.
    body: dict[str, Any] = {
        "dateRangeStart": f"{start}T00:00:00.000Z",
        "dateRangeEnd": f"{end}T23:59:59.999Z",
        "timeZone": "UTC",
        "sortColumn": "DATE",
        "sortOrder": "ASCENDING",
    }
    for key, field in _FILTERS.items():
        if params.get(key):
            body[field] = {"ids": params[key], "contains": "CONTAINS", "status": "ALL"}
    if "billable" in params:
        body["billable"] = params["billable"]
    path = client.path("workspaces", params["workspace_id"], "reports", "expenses", "detailed")
    totals: ExpenseReportTotals | None = None
    expenses: list[dict[str, Any]] = []
    for page in client.report_pages(path, body, None, ExpenseReport, lambda p: len(p.expenses)):
        totals = totals or page.totals  # every page carries the whole report's totals
        expenses.extend(_item(item) for item in page.expenses)
    return {
        "start_date": start,
        "end_date": end,
        "count": len(expenses),
        "total_cents": money(totals.total_amount if totals else None) or 0,
        "billable_total_cents": money(totals.total_amount_billable if totals else None) or 0,
        "expenses": expenses,
    }


def _item(item: ExpenseReportItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "user_id": item.user_id,
        "user_name": item.user_name,
        "date": item.date,
        "category_id": item.category_id,
        "category_name": item.category_name,
        "project_id": item.project_id or None,
        "project_name": item.project_name or None,
        "notes": item.notes or "",
        "quantity": money(item.quantity),
        "amount_cents": money(item.amount),
        "billable": bool(item.billable),
        "receipt_file_id": item.file_id or None,
        "receipt_file_name": item.file_name or None,
    }
