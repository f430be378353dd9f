"""Expense categories (docs/clockify-api.md §29.7).

- `GET /expenses/categories` → 200 `{"count": N, "categories": [...]}` with `Last-Page`;
  `archived` defaults to false as [SPEC] declares (so archived ones are left out unless
  asked for; the live default is UNKNOWN), `name` matches a part of the name ignoring case
  (INFERRED, as on tags), sorted by name (`sort-column` takes only NAME).
- `POST` (JSON) → **201**, the 7-key category; `{name}` alone gives `hasUnitPrice false,
  priceInCents 0, unit ""` (CONFIRMED-LIVE(1)); `name` is required, at most 250.
- `PUT /{id}`, the same body → 200; the body replaces the category (INFERRED from "same
  body"). `PATCH /{id}/status {archived}` → 200 the category.
- `DELETE /{id}` → **204**, only when archived (CONFIRMED); an active one → 400, whose text
  is UNKNOWN (the wording of the client and project rule is used). Deleting a category that
  expenses use, and duplicate names, are UNKNOWN: both are allowed here.
"""

from __future__ import annotations

import json
import sqlite3

from clockify_actions.sandbox._call import ADAPTERS, AUTH, Body, Call, boolean_field, string_field
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._errors import ApiError, body_error, not_belonging
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._store import dump, name_key

_BODY = Body(
    f"{ADAPTERS}.requests.ExpenseCategoryV1Request",
    f"public {ADAPTERS}.dto.ExpenseCategoryDtoV1 {ADAPTERS}.expense.ExpenseCategoryHttpAdapter"
    f".create(java.lang.String,{ADAPTERS}.requests.ExpenseCategoryV1Request,{AUTH})",
)
_STATUS_BODY = Body(
    f"{ADAPTERS}.requests.ExpenseCategoryArchiveV1Request",
    f"public {ADAPTERS}.dto.ExpenseCategoryDtoV1 {ADAPTERS}.expense.ExpenseCategoryHttpAdapter"
    f".updateStatus(java.lang.String,java.lang.String,"
    f"{ADAPTERS}.requests.ExpenseCategoryArchiveV1Request,{AUTH})",
)


def category_doc(
    category_id: str,
    workspace_id: str,
    name: str,
    *,
    has_unit_price: bool = False,
    price_in_cents: int = 0,
    unit: str = "",
    archived: bool = False,
) -> Doc:
    return {
        "id": category_id,
        "name": name,
        "hasUnitPrice": has_unit_price,
        "priceInCents": price_in_cents,
        "unit": unit,
        "workspaceId": workspace_id,
        "archived": archived,
    }


def insert_categories(db: sqlite3.Connection, docs: list[Doc]) -> None:
    db.executemany(
        "INSERT INTO expense_categories (id, workspace_id, name, archived, doc)"
        " VALUES (?, ?, ?, ?, ?)",
        [(d["id"], d["workspaceId"], d["name"], d["archived"], dump(d)) for d in docs],
    )


def stored_category(call: Call, category_id: str) -> Doc:
    row = call.db.execute(
        "SELECT doc FROM expense_categories WHERE id = ? AND workspace_id = ?",
        (category_id, call.params["workspace"]),
    ).fetchone()
    if row is None:
        # The live text for an unknown category is UNKNOWN; the shared wording is used.
        raise not_belonging("Expense category")
    doc: Doc = json.loads(row[0])
    return doc


def list_categories(call: Call) -> Response:
    number, size = call.page(50, 5000)
    archived = call.flag("archived")
    archived = False if archived is None else archived
    name = name_key(call.text("name") or "")
    rows = call.db.execute(
        "SELECT name, doc FROM expense_categories WHERE workspace_id = ? AND archived = ?",
        (call.params["workspace"], archived),
    )
    kept = sorted((name_key(n), doc) for n, doc in rows if not name or name in name_key(n))
    if call.text("sort-order") == "DESCENDING":
        kept.reverse()
    start = (number - 1) * size
    chosen = [doc for _, doc in kept[start : start + size]]
    last = "true" if start + size >= len(kept) else "false"
    body = f'{{"count":{len(kept)},"categories":[{",".join(chosen)}]}}'
    return Response.json(200, body, {"Last-Page": last})


def _fields(call: Call, body: Body) -> Doc:
    """The category's fields from the body, as stored; what is left out takes the defaults
    of a new category."""
    data = call.json(body)
    name = (string_field(data, "name") or "").strip()
    if not name:
        raise ApiError(400, "Name is required", 501)  # live wording UNKNOWN
    if len(name) > 250:
        raise ApiError(400, "Name has to be between 1 and 250 characters long", 501)  # guess
    price = data.get("priceInCents")
    if price is None:
        price = 0
    if not isinstance(price, int) or isinstance(price, bool) or not -(2**31) <= price < 2**31:
        raise body_error("int", price)
    has_price = bool(boolean_field(data, "hasUnitPrice"))
    unit = string_field(data, "unit") or ""
    return {"name": name, "hasUnitPrice": has_price, "priceInCents": price, "unit": unit}


def create_category(call: Call) -> Response:
    fields = _fields(call, _BODY)
    doc = {**category_doc(call.new_id(), call.params["workspace"], ""), **fields}
    insert_categories(call.db, [doc])
    return Response.json(201, dump(doc))


def update_category(call: Call) -> Response:
    doc = stored_category(call, call.params["category"])
    doc.update(_fields(call, _BODY))
    _save(call, doc)
    return Response.json(200, dump(doc))


def set_category_status(call: Call) -> Response:
    doc = stored_category(call, call.params["category"])
    archived = boolean_field(call.json(_STATUS_BODY), "archived")
    doc["archived"] = bool(archived)
    _save(call, doc)
    return Response.json(200, dump(doc))


def delete_category(call: Call) -> Response:
    doc = stored_category(call, call.params["category"])
    if not doc["archived"]:
        raise ApiError(400, "Cannot delete an active expense category", 501)  # text UNKNOWN
    call.db.execute("DELETE FROM expense_categories WHERE id = ?", (doc["id"],))
    return Response(204, b"")


def _save(call: Call, doc: Doc) -> None:
    call.db.execute(
        "UPDATE expense_categories SET name = ?, archived = ?, doc = ? WHERE id = ?",
        (doc["name"], doc["archived"], dump(doc), doc["id"]),
    )
