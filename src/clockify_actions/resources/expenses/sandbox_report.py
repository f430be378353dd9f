"""The detailed expense report, on the reports host (docs/clockify-api.md §29.9).

- `POST /workspaces/{ws}/reports/expenses/detailed`, body `ExpenseReportFilterV1`:
  `dateRangeStart`/`dateRangeEnd` required, read as on the time reports (wall-clock times
  in `timeZone`, the end included); `page`/`pageSize` at the body's top level (≥1; the
  largest is UNKNOWN: 1000 here, as the detailed report's); `sortColumn`
  (`ID|PROJECT|USER|CATEGORY|DATE|AMOUNT`, DATE here when left out) and `sortOrder`; the
  `users`, `projects`, `categories` id filters and `billable`.
- → 200 `{expenses: [...], totals: {expensesCount, totalAmount, totalAmountBillable}}`, the
  items with [SPEC]'s keys (no live body was recorded), `amount` in cents (LIKELY, as an
  expense's `total`; the unit is UNKNOWN), with a `Last-Page` header (INFERRED, as the
  detailed report's).
"""

from __future__ import annotations

import json
from typing import Any

from clockify_actions.resources.reports.sandbox_detailed import wall_clock, zones
from clockify_actions.sandbox._call import Body, Call
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._errors import ApiError
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._store import dump
from clockify_actions.sandbox._time import parse_instant

_BODY = Body(
    "com.clockify.reports.ExpenseReportFilterV1",
    "public com.clockify.reports.ExpenseReportDtoV1 generateDetailedReportV1("
    "java.lang.String,com.clockify.reports.ExpenseReportFilterV1)",
)
_MAX_PAGE_SIZE = 1000
_SORTS = {
    "ID": lambda d: d["id"],
    "PROJECT": lambda d: d["projectName"] or "",
    "USER": lambda d: d["userName"] or "",
    "CATEGORY": lambda d: d["categoryName"] or "",
    "DATE": lambda d: (d["date"], d["id"]),
    "AMOUNT": lambda d: d["amount"],
}


def _ids(data: Doc, key: str) -> list[str] | None:
    found = data.get(key)
    if not isinstance(found, dict) or not found.get("ids"):
        return None
    return [str(i) for i in found["ids"]]


def _names(call: Call, table: str, key: str = "name") -> dict[str, Any]:
    rows = call.db.execute(f"SELECT id, doc FROM {table}")
    return {row_id: json.loads(doc).get(key) for row_id, doc in rows}


def expense_report(call: Call) -> Response:
    data = call.json(_BODY)
    zone = zones(call, data).local
    start = wall_clock(data, "dateRangeStart", zone)
    end = wall_clock(data, "dateRangeEnd", zone)
    page, size = data.get("page", 1), data.get("pageSize", 50)
    if not isinstance(page, int) or not isinstance(size, int) or page < 1 or size < 1:
        raise ApiError(400, "Page and page size must be positive values", 501)  # unknown
    if size > _MAX_PAGE_SIZE:
        raise ApiError(400, f"Page size cannot be larger than {_MAX_PAGE_SIZE:,}.", 501)
    column = data.get("sortColumn") or "DATE"
    if column not in _SORTS:
        raise ApiError(400, f"Invalid sort column: {column}", 501)  # unknown wording
    users, projects, categories = (_ids(data, k) for k in ("users", "projects", "categories"))
    billable = data.get("billable")
    names = {"users": _names(call, "users"), "projects": _names(call, "projects")}
    colors = _names(call, "projects", "color")
    category_docs = {
        row_id: json.loads(doc)
        for row_id, doc in call.db.execute("SELECT id, doc FROM expense_categories")
    }
    items: list[Doc] = []
    for (raw,) in call.db.execute(
        "SELECT doc FROM expenses WHERE workspace_id = ?", (call.params["workspace"],)
    ):
        doc = json.loads(raw)
        moment = parse_instant(doc["date"])
        if moment is None or not start <= moment <= end:
            continue
        if (
            (users and doc["userId"] not in users)
            or (projects and doc["projectId"] not in projects)
            or (categories and doc["categoryId"] not in categories)
            or (isinstance(billable, bool) and doc["billable"] != billable)
        ):
            continue
        category = category_docs.get(doc["categoryId"], {})
        items.append(_item(call, doc, category, names, colors))
    items.sort(key=_SORTS[column], reverse=data.get("sortOrder") == "DESCENDING")
    totals = {
        "expensesCount": len(items),
        "totalAmount": sum(i["amount"] for i in items),
        "totalAmountBillable": sum(i["amount"] for i in items if i["billable"]),
    }
    chosen = items[(page - 1) * size : page * size]
    last = "true" if page * size >= len(items) else "false"
    return Response.json(200, dump({"expenses": chosen, "totals": totals}), {"Last-Page": last})


def _item(
    call: Call, doc: Doc, category: Doc, names: dict[str, dict[str, Any]], colors: dict[str, Any]
) -> Doc:
    file_name = None
    if doc["fileId"]:
        row = call.db.execute(
            "SELECT name FROM expense_files WHERE id = ?", (doc["fileId"],)
        ).fetchone()
        file_name = row[0] if row else None
    return {
        "id": doc["id"],
        "workspaceId": doc["workspaceId"],
        "userId": doc["userId"],
        "userName": names["users"].get(doc["userId"]),
        "userEmail": None,
        "userStatus": "ACTIVE",
        "date": doc["date"],
        "time": None,
        "categoryId": doc["categoryId"],
        "categoryName": category.get("name"),
        "categoryUnit": category.get("unit"),
        "categoryHasUnitPrice": category.get("hasUnitPrice"),
        "projectId": doc["projectId"],
        "projectName": names["projects"].get(doc["projectId"]),
        "projectColor": colors.get(doc["projectId"]),
        "notes": doc["notes"],
        "quantity": doc["quantity"],
        "amount": doc["total"],
        "billable": doc["billable"],
        "locked": doc["locked"],
        "fileId": doc["fileId"],
        "fileName": file_name,
        "approvalRequestId": None,
        "invoicingInfo": None,
        "reportName": None,
        "exportFields": [],
    }
