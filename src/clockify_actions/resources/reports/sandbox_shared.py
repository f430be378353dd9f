"""Shared reports (Clockify's API facts, part 3, section 35.12; docs/clockify-api.md §24.7), on the
reports host, feature `SHARED_REPORTS`:

- `GET /workspaces/{ws}/shared-reports?page&pageSize&sharedReportsFilter` → 200
  `{"reports": […], "count": N}`, `count` the whole match (live: `pageSize=2` gave 2
  reports and `count: 74`); camelCase `pageSize` (default 50), `page-size` ignored; a
  `sharedReportsFilter` outside `ALL|ALL_ADMIN|CREATED_BY_ME|SHARED_WITH_ME` → 500.
- `POST /workspaces/{ws}/shared-reports` `{name, type, filter, isPublic, fixedDate?,
  visibleToUsers?, visibleToUserGroups?}` → **200** (not 201) with the saved report; `filter`
  requires `exportType`, `dateRangeStart`, `dateRangeEnd`, and `summaryFilter.groups` for a
  SUMMARY.
- `PUT /workspaces/{ws}/shared-reports/{id}` requires `name` and **merges** → 200, the same
  shape; `DELETE` there → 204; `GET` there → 405.
- `GET /shared-reports/{id}` (no workspace) → 200, the report rendered, `{totals,
  donutChart, groupTotals, groupOne, filters}`, the saved report under `filters`; after a
  delete → 404; `PUT`/`PATCH`/`DELETE` there → 405.

CONFIRMED-LIVE(1). Unknown live, and the sandbox's choice said where it is made: the
wording of a refused body (the field's path with Bean Validation's "must not be null"),
the answer to an unknown id on the workspace routes and its body (404, as the bare GET's
after a delete), which reports `ALL` lists, and how a report other than SUMMARY renders.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from clockify_actions.resources.reports.sandbox_summary import summary
from clockify_actions.sandbox._call import Body, Call, boolean_field, string_field
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._errors import ApiError, body_error
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._params import integer
from clockify_actions.sandbox._store import dump

_SHARED = "com.clockify.reports.sharedreport"
_CREATE_BODY = Body(f"{_SHARED}.SharedReportRequestV1", "saveSharedReportV1")
_UPDATE_BODY = Body(f"{_SHARED}.UpdateSharedReportRequestV1", "updateSharedReportV1")
TYPES = (
    "DETAILED",
    "WEEKLY",
    "SUMMARY",
    "SCHEDULED",
    "EXPENSE_DETAILED",
    "EXPENSE_RECEIPT",
    "PTO_REQUESTS",
    "PTO_BALANCE",
    "ATTENDANCE",
    "INVOICE_EXPENSE",
    "INVOICE_TIME",
    "PROJECT",
    "TEAM_FULL",
    "TEAM_LIMITED",
    "TEAM_GROUPS",
    "INVOICES",
    "KIOSK_PIN_LIST",
    "KIOSK_ASSIGNEES",
    "USER_DATA_EXPORT",
)
_FILTERS = ("ALL", "ALL_ADMIN", "CREATED_BY_ME", "SHARED_WITH_ME")
LINK = "https://app.clockify.me/shared/"
TABLE = (
    "CREATE TABLE IF NOT EXISTS shared_reports ("
    " id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, doc TEXT NOT NULL)"
)


def _missing(operation: str, path: str) -> ApiError:
    # Live names the field by its path (`saveSharedReportV1.arg0.type`, [PROBELAB-SR]); the
    # rest of the wording is Bean Validation's, INFERRED.
    return ApiError(400, f"{operation}.arg0.{path}: must not be null", 501)


def _stored(call: Call, report_id: str, workspace_id: str | None) -> Doc:
    row = call.db.execute("SELECT workspace_id, doc FROM shared_reports WHERE id = ?", (report_id,))
    found = row.fetchone()
    if found is None or (workspace_id is not None and found[0] != workspace_id):
        # The bare GET's answer after a delete is 404 (live); its body, and the answer of the
        # workspace routes to an unknown id, were not recorded.
        raise ApiError(404, "Shared report not found", 404)
    doc: Doc = json.loads(found[1])
    return doc


def _save(call: Call, doc: Doc) -> None:
    call.db.execute(
        "INSERT OR REPLACE INTO shared_reports (id, workspace_id, doc) VALUES (?, ?, ?)",
        (doc["id"], doc["workspaceId"], dump(doc)),
    )


def _users(call: Call, data: Doc, key: str) -> list[str]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise body_error("java.util.List", value)
    return list(value)


def _filter(data: Doc, kind: str) -> Doc:
    spec = data.get("filter")
    if spec is None:
        raise _missing("saveSharedReportV1", "filter")
    if not isinstance(spec, dict):
        raise body_error(f"{_SHARED}.ReportFilterV1", spec)
    for key in ("exportType", "dateRangeStart", "dateRangeEnd"):
        if spec.get(key) is None:
            raise _missing("saveSharedReportV1", f"filter.{key}")
    saved = {**spec, "dateRangeType": spec.get("dateRangeType") or "ABSOLUTE"}
    if kind == "SUMMARY":
        groups = (spec.get("summaryFilter") or {}).get("groups")
        if not groups:
            raise _missing("saveSharedReportV1", "filter.summaryFilter.groups")
        # A default live applied to the recorded create (summaryChartType BILLABILITY).
        saved["summaryFilter"] = {"summaryChartType": "BILLABILITY", **spec["summaryFilter"]}
    return saved


def create_shared_report(call: Call) -> Response:
    data = call.json(_CREATE_BODY)
    name = string_field(data, "name")
    if not name:
        raise _missing("saveSharedReportV1", "name")
    kind = data.get("type")
    if kind is None:
        raise _missing("saveSharedReportV1", "type")
    if kind not in TYPES:
        raise body_error(f"{_SHARED}.SharedReportType", kind)
    doc = {
        "id": call.new_id(),
        "workspaceId": call.params["workspace"],
        "userId": call.user_id,
        "name": name,
        "isPublic": bool(boolean_field(data, "isPublic")),
        "visibleToUserGroups": _users(call, data, "visibleToUserGroups"),
        "visibleToUsers": _users(call, data, "visibleToUsers"),
        "fixedDate": bool(boolean_field(data, "fixedDate")),
        "type": kind,
        "filter": _filter(data, str(kind)),
    }
    _save(call, doc)
    return Response.json(200, dump(doc))  # 200, not 201: three live round trips


def update_shared_report(call: Call) -> Response:
    doc = _stored(call, call.params["report"], call.params["workspace"])
    data = call.json(_UPDATE_BODY)
    name = string_field(data, "name")
    if not name:
        raise _missing("updateSharedReportV1", "name")  # required by the spec
    # A merge: what the body leaves out stays, the saved filter too (live, [CSPEC]).
    doc["name"] = name
    for key in ("isPublic", "fixedDate"):
        if data.get(key) is not None:
            doc[key] = bool(boolean_field(data, key))
    for key in ("visibleToUsers", "visibleToUserGroups"):
        if data.get(key) is not None:
            doc[key] = _users(call, data, key)
    _save(call, doc)
    return Response.json(200, dump(doc))


def delete_shared_report(call: Call) -> Response:
    doc = _stored(call, call.params["report"], call.params["workspace"])
    call.db.execute("DELETE FROM shared_reports WHERE id = ?", (doc["id"],))
    return Response(204, b"", {})


def _names(call: Call) -> dict[str, str]:
    rows = call.db.execute("SELECT doc FROM users").fetchall()
    return {doc["id"]: doc["name"] for doc in (json.loads(text) for (text,) in rows)}


def _listed(doc: Doc, names: dict[str, str]) -> Doc:
    return {
        "reportAuthor": names.get(doc["userId"], ""),
        "name": doc["name"],
        "link": LINK + doc["id"],
        "id": doc["id"],
        "visibleToUsers": [{"id": u, "name": names.get(u, "")} for u in doc["visibleToUsers"]],
        "fixedDate": doc["fixedDate"],
        "type": doc["type"],
        "visibleToUserGroups": doc["visibleToUserGroups"],
        "isPublic": doc["isPublic"],
    }


def _wanted(doc: Doc, which: str, user_id: str) -> bool:
    mine = bool(doc["userId"] == user_id)
    shared = user_id in doc["visibleToUsers"]
    match which:
        case "CREATED_BY_ME":
            return mine
        case "SHARED_WITH_ME":
            return shared and not mine
        case "ALL":
            # What ALL holds beside one's own and the shared ones is unknown: public ones too.
            return mine or shared or bool(doc["isPublic"])
    return True  # ALL_ADMIN: the workspace's every shared report


def list_shared_reports(call: Call) -> Response:
    which = call.text("sharedReportsFilter") or "ALL"
    if which not in _FILTERS:
        # Live answers 500 ([LEDGER] `params.dropped-by-source-shadowing`); body unrecorded.
        raise ApiError(500, "Internal Server Error", 500)
    number, size = integer(call, "page", 1), integer(call, "pageSize", 50)
    if number < 1 or size < 1:
        raise ApiError(400, "Page and page size must be positive values", 501)  # unrecorded
    rows = call.db.execute(
        "SELECT doc FROM shared_reports WHERE workspace_id = ? ORDER BY rowid",
        (call.params["workspace"],),
    ).fetchall()
    names = _names(call)
    found = [
        doc for doc in (json.loads(text) for (text,) in rows) if _wanted(doc, which, call.user_id)
    ]
    shown = found[(number - 1) * size : number * size]
    body = {"reports": [_listed(doc, names) for doc in shown], "count": len(found)}
    return Response.json(200, dump(body))


def _workspace(call: Call, doc: Doc) -> Doc:
    row = call.db.execute(
        "SELECT w.doc FROM workspaces w LEFT JOIN memberships m"
        " ON m.workspace_id = w.id AND m.user_id = ? WHERE w.id = ?"
        " AND (m.user_id IS NOT NULL OR ?)",
        (call.user_id, doc["workspaceId"], bool(doc["isPublic"])),
    ).fetchone()
    if row is None:
        # Who may read a private report of another workspace is unknown: the core's refusal.
        raise ApiError(403, "Access Denied", 403)
    workspace: Doc = json.loads(row[0])
    return workspace


def render_shared_report(call: Call) -> Response:
    doc = _stored(call, call.params["report"], None)
    export = call.text("exportType")
    if export not in (None, "JSON_V1"):
        raise ApiError(501, f"Not emulated: the sandbox renders no {export} export.", 501)
    if doc["type"] != "SUMMARY":
        # Only a SUMMARY's rendering was recorded live ([TSFIX]).
        raise ApiError(
            501,
            f"Not emulated: the sandbox renders SUMMARY shared reports only, not {doc['type']}.",
            501,
        )
    workspace = _workspace(call, doc)
    data: dict[str, Any] = dict(doc["filter"])
    for key in ("dateRangeStart", "dateRangeEnd"):
        if call.text(key):
            data[key] = call.text(key)
    inside = replace(
        call, params={**call.params, "workspace": workspace["id"]}, workspace_doc=dump(workspace)
    )
    filters = {
        **doc,
        "exportVisibleCustomFieldIds": [],
        "exportVisibleElements": [],
        "workspace": {"id": workspace["id"], "name": workspace["name"]},
        "subscriptionPlan": workspace.get("featureSubscriptionType"),
        "isAdminOrOwner": doc["userId"] == call.user_id,
    }
    return Response.json(200, dump({**summary(inside, data), "filters": filters}))
