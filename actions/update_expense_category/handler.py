from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.expenses.helpers import (
    category_body,
    category_output,
    expenses_path,
    find_category,
)
from clockify_actions.resources.expenses.wire import ExpenseCategory

_CHANGEABLE = ("name", "price_in_cents", "unit", "has_unit_price")


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    if not any(name in params for name in _CHANGEABLE):
        raise invalid("", f"give at least one field to change: {', '.join(_CHANGEABLE)}")
    if params.get("has_unit_price") is True:
        raise invalid("/has_unit_price", "to set a unit price, give price_in_cents")
    if "has_unit_price" in params and ("price_in_cents" in params or "unit" in params):
        raise invalid("/has_unit_price", "give has_unit_price: false or a price, not both")
    workspace_id, category_id = params["workspace_id"], params["category_id"]
    now = find_category(client, workspace_id, category_id)
    path = expenses_path(client, workspace_id, "categories", category_id)
    return category_output(client.put(path, category_body(params, now), ExpenseCategory))
