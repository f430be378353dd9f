from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.users.helpers import list_users, user_output


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    query: dict[str, Any] = {
        key: params[key] for key in ("email", "name", "status") if key in params
    }
    users = list_users(client, params["workspace_id"], query)
    return {"count": len(users), "users": [user_output(u) for u in users]}
