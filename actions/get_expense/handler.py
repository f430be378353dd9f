from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.expenses.helpers import expense_output, get_expense


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    return expense_output(get_expense(client, params["workspace_id"], params["expense_id"]))
