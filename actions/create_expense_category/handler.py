from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.expenses.helpers import (
    category_body,
    category_output,
    expenses_path,
)
from clockify_actions.resources.expenses.wire import ExpenseCategory


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    path = expenses_path(client, params["workspace_id"], "categories")
    return category_output(client.post(path, category_body(params), ExpenseCategory))
