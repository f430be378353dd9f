from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.expenses.helpers import category_output, list_categories


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    query: dict[str, Any] = {"archived": params.get("archived", False)}
    if "name" in params:
        query["name"] = params["name"]
    categories = list_categories(client, params["workspace_id"], query)
    return {"count": len(categories), "categories": [category_output(c) for c in categories]}
