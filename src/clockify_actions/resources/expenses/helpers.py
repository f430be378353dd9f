"""Expenses and expense categories in the pack's vocabulary, and the one way each is read
and written (docs/clockify-api.md §29). Money: an expense's `total_cents` is Clockify's
`total`, in cents (minor units); the amount a write sends is in major units (12.50), as
Clockify takes it; a category's `price_in_cents` is in cents."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator, Mapping
from typing import Any

from clockify_actions.clockify import ClockifyClient, Form, FormFile
from clockify_actions.errors import ActionError, ErrorType, invalid
from clockify_actions.resources.expenses.wire import (
    Expense,
    ExpenseCategory,
    ExpenseCategoryPage,
    ExpensePage,
)

# The largest page asked for: `page-size=200` is known to work, the real maximum is
# UNKNOWN (§29.1).
PAGE_SIZE = 200
# Clockify's help: a receipt is a .png, .gif, .pdf, .jpg or .jpeg file of at most 5 MB.
RECEIPT_TYPES = {
    "png": "image/png",
    "gif": "image/gif",
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
RECEIPT_BYTES = 5 * 1024 * 1024


def money(cents: float | None) -> float | int | None:
    """Cents as Clockify sends them (a float), whole when they are."""
    if cents is None:
        return None
    return int(cents) if float(cents).is_integer() else cents


def expense_output(item: Expense) -> dict[str, Any]:
    category, project = item.category, item.project
    return {
        "id": item.id,
        "user_id": item.user_id,
        "date": item.date,
        "category_id": item.category_id or (category.id if category else None),
        "category_name": category.name if category else None,
        "project_id": item.project_id or (project.id if project else None),
        "project_name": project.name if project else None,
        "task_id": item.task_id or (item.task.id if item.task else None),
        "notes": item.notes or "",
        "quantity": money(item.quantity),
        "total_cents": money(item.total),
        "billable": bool(item.billable),
        "locked": bool(item.locked),
        "receipt_file_id": item.file_id or None,
        "receipt_file_name": item.file_name or None,
    }


def category_output(item: ExpenseCategory) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": item.name,
        "has_unit_price": item.has_unit_price,
        "price_in_cents": item.price_in_cents or 0,
        "unit": item.unit or "",
        "archived": item.archived,
    }


def expenses_path(client: ClockifyClient, workspace_id: str, *rest: str) -> str:
    return client.path("workspaces", workspace_id, "expenses", *rest)


def iter_expenses(
    client: ClockifyClient, workspace_id: str, user_id: str | None = None
) -> Iterator[Expense]:
    """Every expense of the workspace (of one user), page by page; Clockify takes no other
    filter (`start`/`end` are ignored, §29.1)."""
    query = {"user-id": user_id} if user_id else {}
    pages = client.get_pages(
        expenses_path(client, workspace_id),
        ExpensePage,
        lambda page: len(page.expenses.expenses),
        query,
        min(PAGE_SIZE, client.settings.page_size),
    )
    for page in pages:
        yield from page.expenses.expenses


def get_expense(client: ClockifyClient, workspace_id: str, expense_id: str) -> Expense:
    return client.get(expenses_path(client, workspace_id, expense_id), Expense)


def list_categories(
    client: ClockifyClient, workspace_id: str, query: Mapping[str, Any]
) -> list[ExpenseCategory]:
    pages = client.get_pages(
        expenses_path(client, workspace_id, "categories"),
        ExpenseCategoryPage,
        lambda page: len(page.categories),
        query,
        min(PAGE_SIZE, client.settings.page_size),
    )
    return [category for page in pages for category in page.categories]


def receipt(params: Mapping[str, Any]) -> FormFile | None:
    """The receipt of the input (`receipt_file_name` and `receipt_base64`), checked as
    Clockify's help states: one of its file types, at most 5 MB; None without one."""
    name, given = params.get("receipt_file_name"), params.get("receipt_base64")
    if name is None and given is None:
        return None
    if name is None or given is None:
        # Named at the one given, which cannot go alone.
        alone = "/receipt_base64" if name is None else "/receipt_file_name"
        raise invalid(alone, "give receipt_file_name and receipt_base64 together")
    kind = RECEIPT_TYPES.get(name.rpartition(".")[2].lower())
    if "." not in name or kind is None:
        raise invalid(
            "/receipt_file_name", "must end in .png, .gif, .pdf, .jpg or .jpeg (Clockify's types)"
        )
    try:
        content = base64.b64decode(given, validate=True)
    except (binascii.Error, ValueError):
        raise invalid("/receipt_base64", "must be the file's bytes in base64") from None
    if not content:
        raise invalid("/receipt_base64", "the file is empty")
    if len(content) > RECEIPT_BYTES:
        raise invalid("/receipt_base64", "the file is larger than Clockify's 5 MB")
    return FormFile(name, kind, content)


def amount_text(amount: float) -> str:
    """A major-unit amount as the form field carries it: 12.5 → "12.5", 100 → "100"."""
    return str(int(amount)) if float(amount).is_integer() else repr(float(amount))


def expense_form(fields: list[tuple[str, str]], file: FormFile | None) -> Form:
    return Form(fields, [("file", file)] if file is not None else [])


def category_body(params: Mapping[str, Any], now: ExpenseCategory | None = None) -> dict[str, Any]:
    """A category's JSON body: the parameters given, over what it is `now` (a unit price
    makes `hasUnitPrice` true, `has_unit_price: false` drops it)."""
    has_price = now.has_unit_price if now else False
    price = (now.price_in_cents or 0) if now else 0
    unit = (now.unit or "") if now else ""
    if "price_in_cents" in params:
        if params["price_in_cents"] >= 2**31:  # Clockify's priceInCents is an int32
            raise invalid("/price_in_cents", "must be below 2147483648")
        has_price, price = True, params["price_in_cents"]
    if params.get("has_unit_price") is False:
        has_price, price, unit = False, 0, ""
    unit = params.get("unit", unit)
    name = params.get("name", now.name if now else "")
    return {"name": name, "hasUnitPrice": has_price, "priceInCents": price, "unit": unit}


def find_category(client: ClockifyClient, workspace_id: str, category_id: str) -> ExpenseCategory:
    """The category with that id, active or archived, read from the lists (Clockify has no
    route for one category); a `not_found` when neither list holds it."""
    for archived in (False, True):
        for category in list_categories(client, workspace_id, {"archived": archived}):
            if category.id == category_id:
                return category
    raise ActionError(
        ErrorType.NOT_FOUND,
        f"No expense category {category_id} in workspace {workspace_id}, active or archived.",
    )


def expense_event(webhook_event: str, expense: Mapping[str, Any]) -> dict[str, Any]:
    """A new expense, from a poll (a list row made flat) or an EXPENSE_CREATED delivery
    (the flat expense, §29.8): the same event either way."""
    return {
        "event_id": f"{webhook_event}:{expense['id']}",
        "id": expense["id"],
        "workspace_id": expense.get("workspaceId") or None,
        "user_id": expense.get("userId") or None,
        "date": expense.get("date") or None,
        "category_id": expense.get("categoryId") or None,
        "project_id": expense.get("projectId") or None,
        "task_id": expense.get("taskId") or None,
        "notes": expense.get("notes") or "",
        "quantity": money(expense.get("quantity")),
        "total_cents": money(expense.get("total")),
        "billable": bool(expense.get("billable")),
        "receipt_file_id": expense.get("fileId") or None,
    }
