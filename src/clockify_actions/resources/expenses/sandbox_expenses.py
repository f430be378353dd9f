"""Expenses: listed, read, created, changed, deleted, and their receipts
(docs/clockify-api.md §29.1 to §29.6).

- Create (`POST`) and update (`PUT /{id}`) take multipart/form-data only (`sandbox_form`).
  Create: `userId` missing → 400 501 "User ID is required" (CONFIRMED-LIVE(1)); `date`
  must carry a time (a date alone → 400; the live text is not quoted, Spring's binding
  wording is used); `categoryId` and `amount` are required ([SPEC]; their messages are
  guesses); `projectId`, `taskId`, `notes` (≤3000), `billable` and `file` are optional.
  → **201**, the flat 13-key expense, `fileId ""` without a receipt.
- Money: `amount` is in major units and `total` in cents, a float: `amount=100` → `total
  10000.0` (CONFIRMED-LIVE(1)). A unit-price category: `quantity = amount` (INFERRED: the
  unit count) and `total = quantity * priceInCents` (CONFIRMED-LIVE(1)). Without one, the
  recorded rows have `quantity` equal to `total` (INFERRED: the cents stored as quantity).
- `billable` left out: the project's billable (INFERRED from Clockify's help), else false.
- Update applies only the fields named in the repeated `changeFields` (CONFIRMED-LIVE(1));
  `FILE` without a file part removes the receipt (INFERRED).
- `GET /expenses` → the double-nested envelope `{expenses: {expenses, count},
  dailyTotals, weeklyTotals}` with `Last-Page`; rows expanded (`category`, `project`,
  `task`, `fileName`; no flat ids; `fileId`/`fileName` null without a receipt, INFERRED);
  only `page`, `page-size` and `user-id` are read (`start`/`end` are ignored,
  CONFIRMED-LIVE(1)). The sort order is UNKNOWN: newest date first here. The totals are
  over every matching expense, per date and per week from Monday (INFERRED), in cents.
- `GET /{id}` → the flat expense; an unknown id → 400 501 "Expense doesn't belong to
  Workspace" (CONFIRMED-LIVE(1)). `DELETE /{id}` → **200, empty body** (CONFIRMED-LIVE(1)).
- `GET /{id}/files/{fileId}` → the receipt's bytes under its own Content-Type (the live
  headers are UNKNOWN); an unknown file → 403 "You don't have permission to perform this
  action." (CONFIRMED-LIVE(1); no `code` was recorded, so none is sent).
- Not emulated: who sees whose expenses (regular users see only their own), locks and
  approvals.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

from clockify_actions.resources.expenses.sandbox_categories import stored_category
from clockify_actions.resources.expenses.sandbox_form import ExpenseForm, read_form
from clockify_actions.sandbox._call import Call
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._errors import ApiError, not_belonging
from clockify_actions.sandbox._events import emit
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._store import dump
from clockify_actions.sandbox._time import format_instant, parse_instant

# Clockify's help: .png .gif .pdf .jpg .jpeg, at most 5 MB; its answers to others are
# UNKNOWN (text/plain is refused, status not recorded): a 400 here.
RECEIPT_TYPES = ("image/png", "image/gif", "application/pdf", "image/jpeg")
RECEIPT_BYTES = 5 * 1024 * 1024
CHANGE_FIELDS = (
    "USER",
    "DATE",
    "PROJECT",
    "TASK",
    "CATEGORY",
    "NOTES",
    "AMOUNT",
    "BILLABLE",
    "FILE",
)
_NO_PERMISSION = "You don't have permission to perform this action."


def insert_expense(db: sqlite3.Connection, doc: Doc) -> None:
    db.execute(
        "INSERT INTO expenses (id, workspace_id, user_id, date, doc) VALUES (?, ?, ?, ?, ?)",
        (doc["id"], doc["workspaceId"], doc["userId"], doc["date"], dump(doc)),
    )


def _stored(call: Call) -> Doc:
    row = call.db.execute(
        "SELECT doc FROM expenses WHERE id = ? AND workspace_id = ?",
        (call.params["expense"], call.params["workspace"]),
    ).fetchone()
    if row is None:
        raise not_belonging("Expense")
    doc: Doc = json.loads(row[0])
    return doc


def _save(call: Call, doc: Doc) -> None:
    call.db.execute(
        "UPDATE expenses SET user_id = ?, date = ?, doc = ? WHERE id = ?",
        (doc["userId"], doc["date"], dump(doc), doc["id"]),
    )


def get_expense(call: Call) -> Response:
    return Response.json(200, dump(_stored(call)))


def list_expenses(call: Call) -> Response:
    number, size = call.page(50, 5000)
    where, args = "workspace_id = ?", [call.params["workspace"]]
    user_id = call.text("user-id")
    if user_id:
        where += " AND user_id = ?"
        args.append(user_id)
    docs = [
        json.loads(doc)
        for (doc,) in call.db.execute(
            f"SELECT doc FROM expenses WHERE {where} ORDER BY date DESC, id DESC", args
        )
    ]
    start = (number - 1) * size
    rows = [_row(call, doc) for doc in docs[start : start + size]]
    daily: dict[str, float] = {}
    weekly: dict[str, float] = {}
    for doc in docs:
        day = date.fromisoformat(doc["date"][:10])
        daily[day.isoformat()] = daily.get(day.isoformat(), 0.0) + doc["total"]
        monday = (day - timedelta(days=day.weekday())).isoformat()
        weekly[monday] = weekly.get(monday, 0.0) + doc["total"]
    body = {
        "expenses": {"expenses": rows, "count": len(docs)},
        "dailyTotals": [
            {"date": day, "total": total, "dateAsInstant": f"{day}T00:00:00Z"}
            for day, total in sorted(daily.items())
        ],
        "weeklyTotals": [{"date": day, "total": total} for day, total in sorted(weekly.items())],
    }
    last = "true" if start + size >= len(docs) else "false"
    return Response.json(200, dump(body), {"Last-Page": last})


def _row(call: Call, doc: Doc) -> Doc:
    """A list row: the category, project and task expanded, the receipt's name added."""
    category = call.db.execute(
        "SELECT doc FROM expense_categories WHERE id = ?", (doc["categoryId"],)
    ).fetchone()
    project = None
    if doc["projectId"]:
        found = call.db.execute(
            "SELECT doc FROM projects WHERE id = ?", (doc["projectId"],)
        ).fetchone()
        if found is not None:
            full = json.loads(found[0])
            project = {
                "id": full["id"],
                "name": full["name"],
                "clientId": full.get("clientId") or "",
                "clientName": full.get("clientName") or "",
                "color": full.get("color"),
            }
    task = None
    if doc["taskId"]:
        found = call.db.execute("SELECT name FROM tasks WHERE id = ?", (doc["taskId"],)).fetchone()
        task = {"id": doc["taskId"], "name": found[0] if found else None}
    file_name = None
    if doc["fileId"]:
        found = call.db.execute(
            "SELECT name FROM expense_files WHERE id = ?", (doc["fileId"],)
        ).fetchone()
        file_name = found[0] if found else None
    return {
        "id": doc["id"],
        "workspaceId": doc["workspaceId"],
        "userId": doc["userId"],
        "date": doc["date"],
        "project": project,
        "task": task,
        "category": json.loads(category[0]) if category else None,
        "notes": doc["notes"],
        "quantity": doc["quantity"],
        "billable": doc["billable"],
        "fileId": doc["fileId"] or None,
        "fileName": file_name,
        "total": doc["total"],
        "locked": doc["locked"],
    }


def create_expense(call: Call) -> Response:
    form = read_form(call)
    user_id = form.text("userId")
    if not user_id:
        raise ApiError(400, "User ID is required", 501)
    doc: Doc = {
        "id": call.new_id(),
        "workspaceId": call.params["workspace"],
        "userId": call.member(user_id),
        "date": _date(form),
        "projectId": None,
        "taskId": None,
        "categoryId": None,
        "notes": "",
        "quantity": 0.0,
        "billable": False,
        "fileId": "",
        "total": 0.0,
        "locked": False,
    }
    _category(call, form, doc)
    _project(call, form, doc)
    _notes(form, doc)
    billable = _boolean(form, "billable")
    if billable is not None:
        doc["billable"] = billable
    if form.receipt is not None:
        doc["fileId"] = _store_receipt(call, form, doc["id"])
    insert_expense(call.db, doc)
    emit(call, "EXPENSE_CREATED", doc)
    return Response.json(201, dump(doc))


def update_expense(call: Call) -> Response:
    doc = _stored(call)
    form = read_form(call)
    changes = form.all("changeFields")
    if not changes:
        raise ApiError(400, "changeFields must not be empty", 501)  # text UNKNOWN
    unknown = [c for c in changes if c not in CHANGE_FIELDS]
    if unknown:
        raise ApiError(400, f"Invalid change field: {unknown[0]}", 501)  # text UNKNOWN
    if "USER" in changes:
        user_id = form.text("userId")
        if not user_id:
            raise ApiError(400, "User ID is required", 501)
        doc["userId"] = call.member(user_id)
    if "DATE" in changes:
        doc["date"] = _date(form)
    if "CATEGORY" in changes or "AMOUNT" in changes:
        if "CATEGORY" not in changes:
            form = ExpenseForm({**form.fields, "categoryId": [doc["categoryId"]]}, form.receipt)
        _category(call, form, doc)
    if "PROJECT" in changes or "TASK" in changes:
        keep = {"projectId": [doc["projectId"] or ""], "taskId": [doc["taskId"] or ""]}
        picked = {
            k: v
            for k, v in keep.items()
            if ("PROJECT" if k == "projectId" else "TASK") not in changes
        }
        _project(call, ExpenseForm({**form.fields, **picked}, form.receipt), doc, inherit=False)
    if "NOTES" in changes:
        _notes(form, doc)
    if "BILLABLE" in changes:
        doc["billable"] = bool(_boolean(form, "billable"))
    if "FILE" in changes:
        call.db.execute("DELETE FROM expense_files WHERE expense_id = ?", (doc["id"],))
        doc["fileId"] = _store_receipt(call, form, doc["id"]) if form.receipt else ""
    _save(call, doc)
    emit(call, "EXPENSE_UPDATED", doc)
    return Response.json(200, dump(doc))


def delete_expense(call: Call) -> Response:
    doc = _stored(call)
    call.db.execute("DELETE FROM expenses WHERE id = ?", (doc["id"],))
    call.db.execute("DELETE FROM expense_files WHERE expense_id = ?", (doc["id"],))
    emit(call, "EXPENSE_DELETED", doc)
    return Response(200, b"")


def download_receipt(call: Call) -> Response:
    doc = _stored(call)
    row = call.db.execute(
        "SELECT content_type, data FROM expense_files WHERE id = ? AND expense_id = ?",
        (call.params["file"], doc["id"]),
    ).fetchone()
    if row is None:
        return Response.json(403, dump({"message": _NO_PERMISSION}))
    return Response(200, bytes(row[1]), {"Content-Type": row[0]})


def _date(form: ExpenseForm) -> str:
    raw = form.text("date") or ""
    moment = parse_instant(raw)
    if moment is None:
        # A date without a time is refused live; the text was not quoted (Spring's wording).
        raise ApiError(
            400,
            "Failed to convert property value of type 'java.lang.String' to required type"
            f" 'java.time.Instant' for property 'date'; Invalid value [{raw}]",
            501,
        )
    return format_instant(moment)


def _number(form: ExpenseForm, name: str) -> float | None:
    raw = form.text(name)
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if value != value or value in (float("inf"), float("-inf")):
        raise ApiError(
            400,
            "Failed to convert property value of type 'java.lang.String' to required type"
            f" 'double' for property '{name}'; For input string: \"{raw}\"",
            501,
        )
    return value


def _boolean(form: ExpenseForm, name: str) -> bool | None:
    raw = (form.text(name) or "").lower()
    if not raw:
        return None
    if raw in ("true", "false", "on", "off", "yes", "no", "1", "0"):
        return raw in ("true", "on", "yes", "1")
    raise ApiError(400, f"Invalid boolean value [{raw}] for property '{name}'", 501)  # guess


def _category(call: Call, form: ExpenseForm, doc: Doc) -> None:
    """The category and the amount, which it turns into quantity and total."""
    category_id = form.text("categoryId")
    if not category_id:
        raise ApiError(400, "Category ID is required", 501)  # text UNKNOWN
    category = stored_category(call, category_id)
    amount = _number(form, "amount")
    if amount is None:
        raise ApiError(400, "Amount is required", 501)  # text UNKNOWN
    if amount < 0:
        raise ApiError(400, "amount: must be greater than or equal to 0", 501)  # [SPEC] ≥0
    if category["hasUnitPrice"]:
        quantity = amount
        total = amount * category["priceInCents"]
    else:
        total = round(amount * 100, 2)
        quantity = total
    doc.update(categoryId=category_id, quantity=float(quantity), total=float(total))


def _project(call: Call, form: ExpenseForm, doc: Doc, inherit: bool = True) -> None:
    project_id, task_id = form.text("projectId") or None, form.text("taskId") or None
    if project_id is None:
        if task_id is not None:
            raise ApiError(400, "Task doesn't belong to Project", 501)  # guess
        doc.update(projectId=None, taskId=None)
        return
    row = call.db.execute(
        "SELECT doc FROM projects WHERE id = ? AND workspace_id = ?",
        (project_id, call.params["workspace"]),
    ).fetchone()
    if row is None:
        raise not_belonging("Project")
    if task_id is not None:
        task = call.db.execute(
            "SELECT 1 FROM tasks WHERE id = ? AND project_id = ?", (task_id, project_id)
        ).fetchone()
        if task is None:
            raise ApiError(400, "Task doesn't belong to Project", 501)  # text UNKNOWN
    doc.update(projectId=project_id, taskId=task_id)
    if inherit:
        doc["billable"] = bool(json.loads(row[0]).get("billable"))


def _notes(form: ExpenseForm, doc: Doc) -> None:
    notes = form.text("notes") or ""
    if len(notes) > 3000:
        raise ApiError(400, "Notes can't be longer than 3000 characters", 501)  # text UNKNOWN
    doc["notes"] = notes


def _store_receipt(call: Call, form: ExpenseForm, expense_id: str) -> str:
    receipt = form.receipt
    assert receipt is not None
    if receipt.content_type not in RECEIPT_TYPES:
        raise ApiError(400, "File type is not supported", 501)  # status and text UNKNOWN
    if len(receipt.content) > RECEIPT_BYTES:
        raise ApiError(400, "File is too large", 501)  # status and text UNKNOWN
    file_id = call.new_id()
    call.db.execute(
        "INSERT INTO expense_files (id, workspace_id, expense_id, name, content_type, data)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            file_id,
            call.params["workspace"],
            expense_id,
            receipt.file_name,
            receipt.content_type,
            receipt.content,
        ),
    )
    return file_id
