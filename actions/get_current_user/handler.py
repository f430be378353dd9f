from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.clockify.wire import User


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    user = client.get("/user", User)
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "active_workspace_id": user.active_workspace,
        "default_workspace_id": user.default_workspace,
        "time_zone": user.settings.time_zone if user.settings else None,
        "account_status": user.status,
    }
