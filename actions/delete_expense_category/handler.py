from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.expenses.helpers import expenses_path


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    client.delete(
        expenses_path(client, params["workspace_id"], "categories", params["category_id"])
    )
    return {"id": params["category_id"], "deleted": True}
