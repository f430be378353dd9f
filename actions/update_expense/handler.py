from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.expenses.helpers import (
    amount_text,
    expense_form,
    expense_output,
    expenses_path,
    get_expense,
    receipt,
)
from clockify_actions.resources.expenses.wire import Expense

# Each parameter and the name of Clockify's `changeFields` value that applies it.
_CHANGES = {
    "user_id": "USER",
    "date": "DATE",
    "project_id": "PROJECT",
    "remove_project": "PROJECT",
    "task_id": "TASK",
    "category_id": "CATEGORY",
    "notes": "NOTES",
    "amount": "AMOUNT",
    "billable": "BILLABLE",
    "receipt_base64": "FILE",
}


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    changes = list(dict.fromkeys(_CHANGES[name] for name in _CHANGES if name in params))
    if not changes:
        raise invalid("", f"give at least one field to change: {', '.join(_CHANGES)}")
    if params.get("remove_project") and ("project_id" in params or "task_id" in params):
        raise invalid("/remove_project", "give remove_project or project_id and task_id, not both")
    if "category_id" in params and "amount" not in params:
        raise invalid("/amount", "give the amount with a new category_id")
    if ("project_id" in params or params.get("remove_project")) and "TASK" not in changes:
        changes.append("TASK")  # a task of the old project would not fit the new one
    file = receipt(params)
    workspace_id, expense_id = params["workspace_id"], params["expense_id"]
    now = get_expense(client, workspace_id, expense_id)
    project = "" if params.get("remove_project") else params.get("project_id", now.project_id or "")
    task = "" if params.get("remove_project") else params.get("task_id")
    if task is None:
        task = "" if "project_id" in params else now.task_id or ""
    # Clockify ignores the values of fields not named in changeFields; whether it needs
    # them at all is unknown, so every field is sent, as it is now when unchanged.
    amount = params.get("amount", (now.total or 0) / 100)
    fields = [
        ("userId", params.get("user_id", now.user_id or "")),
        ("date", f"{params['date']}T00:00:00Z" if "date" in params else now.date or ""),
        ("categoryId", params.get("category_id", now.category_id or "")),
        ("amount", amount_text(amount)),
        ("projectId", project),
        ("taskId", task),
        ("notes", params.get("notes", now.notes or "")),
        ("billable", "true" if params.get("billable", now.billable) else "false"),
    ]
    fields += [("changeFields", change) for change in changes]
    path = expenses_path(client, workspace_id, expense_id)
    return expense_output(client.put(path, expense_form(fields, file), Expense))
