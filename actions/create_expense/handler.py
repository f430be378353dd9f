from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.expenses.helpers import (
    amount_text,
    expense_form,
    expense_output,
    expenses_path,
    receipt,
)
from clockify_actions.resources.expenses.wire import Expense


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    if "task_id" in params and "project_id" not in params:
        raise invalid("/task_id", "a task needs its project_id")
    file = receipt(params)
    fields = [
        ("userId", params["user_id"]),
        ("categoryId", params["category_id"]),
        ("amount", amount_text(params["amount"])),
        ("date", f"{params['date']}T00:00:00Z"),
    ]
    fields += [(key, params[name]) for name, key in _OPTIONAL if name in params]
    if "billable" in params:
        fields.append(("billable", "true" if params["billable"] else "false"))
    path = expenses_path(client, params["workspace_id"])
    return expense_output(client.post(path, expense_form(fields, file), Expense))


_OPTIONAL = (("project_id", "projectId"), ("task_id", "taskId"), ("notes", "notes"))
