"""Expenses in the sandbox (docs/clockify-api.md §29, from part 3 of Clockify's API
facts): expenses listed, read, created, changed and deleted, with their receipts
(`sandbox_expenses`, multipart bodies read by `sandbox_form`), and their categories
(`sandbox_categories`). Every route belongs to the paid `EXPENSES` module (Pro and
Enterprise, with "Activate expense tracking" on).

The seed: in the demo workspace, the categories Travel (no unit price), Mileage (50 cents
a km) and an archived Equipment, and two expenses of the demo user, the mileage with a PNG receipt.
"""

from __future__ import annotations

import base64
import sqlite3

from clockify_actions.resources.expenses.sandbox_categories import (
    category_doc,
    create_category,
    delete_category,
    insert_categories,
    list_categories,
    set_category_status,
    update_category,
)
from clockify_actions.resources.expenses.sandbox_expenses import (
    create_expense,
    delete_expense,
    download_receipt,
    get_expense,
    insert_expense,
    list_expenses,
    update_expense,
)
from clockify_actions.resources.expenses.sandbox_report import expense_report
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._params import SORT_ORDERS
from clockify_actions.sandbox._resources import Resource, Route
from clockify_actions.sandbox._seed import DEMO_USER_ID, DEMO_WORKSPACE_ID, SAMPLE_PROJECT_ID

# The seeded records' ids: this resource's own, beside the core's in `sandbox/_seed.py`.
TRAVEL_CATEGORY_ID = "64b7c0de5eed000000001201"
MILEAGE_CATEGORY_ID = "64b7c0de5eed000000001202"
ARCHIVED_CATEGORY_ID = "64b7c0de5eed000000001203"
TRAIN_EXPENSE_ID = "64b7c0de5eed000000001301"
MILEAGE_EXPENSE_ID = "64b7c0de5eed000000001302"
MAP_RECEIPT_ID = "64b7c0de5eed000000001401"  # the mileage's receipt, a 1x1 PNG
_MAP_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

_TABLES = (
    "CREATE TABLE IF NOT EXISTS expense_categories (id TEXT PRIMARY KEY,"
    " workspace_id TEXT NOT NULL, name TEXT NOT NULL, archived INTEGER NOT NULL,"
    " doc TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS expenses (id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL,"
    " user_id TEXT NOT NULL, date TEXT NOT NULL, doc TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS expense_files (id TEXT PRIMARY KEY,"
    " workspace_id TEXT NOT NULL, expense_id TEXT NOT NULL, name TEXT NOT NULL,"
    " content_type TEXT NOT NULL, data BLOB NOT NULL)",
)


def _expense(expense_id: str, when: str, category_id: str, quantity: float, total: float) -> Doc:
    return {
        "id": expense_id,
        "workspaceId": DEMO_WORKSPACE_ID,
        "userId": DEMO_USER_ID,
        "date": when,
        "projectId": SAMPLE_PROJECT_ID,
        "taskId": None,
        "categoryId": category_id,
        "notes": "",
        "quantity": quantity,
        "billable": True,
        "fileId": "",
        "total": total,
        "locked": False,
    }


def _seed(db: sqlite3.Connection) -> None:
    insert_categories(
        db,
        [
            category_doc(TRAVEL_CATEGORY_ID, DEMO_WORKSPACE_ID, "Travel"),
            category_doc(
                MILEAGE_CATEGORY_ID,
                DEMO_WORKSPACE_ID,
                "Mileage",
                has_unit_price=True,
                price_in_cents=50,
                unit="km",
            ),
            category_doc(ARCHIVED_CATEGORY_ID, DEMO_WORKSPACE_ID, "Equipment", archived=True),
        ],
    )
    train = _expense(TRAIN_EXPENSE_ID, "2026-01-12T00:00:00Z", TRAVEL_CATEGORY_ID, 4250.0, 4250.0)
    insert_expense(db, {**train, "notes": "Train to the client"})
    mileage = _expense(
        MILEAGE_EXPENSE_ID, "2026-01-14T00:00:00Z", MILEAGE_CATEGORY_ID, 120.0, 6000.0
    )
    insert_expense(db, {**mileage, "fileId": MAP_RECEIPT_ID})
    db.execute(
        "INSERT INTO expense_files (id, workspace_id, expense_id, name, content_type, data)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (MAP_RECEIPT_ID, DEMO_WORKSPACE_ID, MILEAGE_EXPENSE_ID, "map.png", "image/png", _MAP_PNG),
    )


_EXPENSES = "/workspaces/{workspace}/expenses"
_CATEGORIES = f"{_EXPENSES}/categories"

RESOURCE = Resource(
    routes=(
        Route(_EXPENSES, {"GET": list_expenses, "POST": create_expense}, feature="EXPENSES"),
        Route(
            f"{_EXPENSES}/{{expense}}",
            {"GET": get_expense, "PUT": update_expense, "DELETE": delete_expense},
            feature="EXPENSES",
        ),
        Route(
            f"{_EXPENSES}/{{expense}}/files/{{file}}", {"GET": download_receipt}, feature="EXPENSES"
        ),
        Route(
            _CATEGORIES,
            {"GET": list_categories, "POST": create_category},
            enums={"sort-column": ("NAME",), "sort-order": SORT_ORDERS},
            feature="EXPENSES",
        ),
        Route(
            f"{_CATEGORIES}/{{category}}",
            {"PUT": update_category, "DELETE": delete_category},
            feature="EXPENSES",
        ),
        Route(
            f"{_CATEGORIES}/{{category}}/status", {"PATCH": set_category_status}, feature="EXPENSES"
        ),
        Route(
            "/workspaces/{workspace}/reports/expenses/detailed",
            {"POST": expense_report},
            host="reports",
            feature="EXPENSES",
        ),
    ),
    added_tables=_TABLES,
    seed=_seed,
    seed_after=("projects", "users"),
    events={
        "EXPENSE_CREATED": ("EXPENSES", "created"),
        "EXPENSE_UPDATED": ("EXPENSES", "updated"),
        "EXPENSE_DELETED": ("EXPENSES", "deleted"),
    },
)
