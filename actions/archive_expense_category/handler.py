from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.expenses.helpers import category_output, expenses_path
from clockify_actions.resources.expenses.wire import ExpenseCategory


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    path = expenses_path(
        client, params["workspace_id"], "categories", params["category_id"], "status"
    )
    body = {"archived": params.get("archived", True)}
    return category_output(client.patch(path, body, ExpenseCategory))
