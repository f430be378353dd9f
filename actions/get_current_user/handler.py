from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.users.wire import User
from clockify_actions.timeutil import local_wire


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    user = client.get("/user", User)
    zone = user.settings.time_zone if user.settings else None
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "active_workspace_id": user.active_workspace,
        "default_workspace_id": user.default_workspace,
        "time_zone": zone,
        "local_time": local_wire(client.now(), zone),
        "account_status": user.status,
    }
