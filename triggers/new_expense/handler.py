from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.expenses.helpers import expense_event as event
from clockify_actions.resources.expenses.polling import poll_new_expenses


def poll(
    params: dict[str, Any], state: dict[str, Any] | None, client: ClockifyClient, webhook_event: str
) -> dict[str, Any]:
    return poll_new_expenses(client, params, state, webhook_event, event)
