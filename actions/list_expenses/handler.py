from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.expenses.helpers import expense_output, iter_expenses, money
from clockify_actions.resources.expenses.wire import Expense


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    if params.get("to_date", "9999") < params.get("from_date", ""):
        raise invalid("/to_date", "must not be before from_date")
    expenses = [
        expense_output(item)
        for item in iter_expenses(client, params["workspace_id"], params.get("user_id"))
        if _kept(item, params)
    ]
    total = sum(item["total_cents"] or 0 for item in expenses)
    return {"count": len(expenses), "total_cents": money(total) or 0, "expenses": expenses}


def _kept(item: Expense, params: dict[str, Any]) -> bool:
    day = (item.date or "")[:10]
    category = item.category.id if item.category else item.category_id
    project = item.project.id if item.project else item.project_id
    return (
        ("from_date" not in params or day >= params["from_date"])
        and ("to_date" not in params or day <= params["to_date"])
        and params.get("category_id", category) == category
        and params.get("project_id", project) == project
    )
