from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.workspaces.wire import Workspace


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    workspaces = client.get_list("/workspaces", Workspace)
    return {
        "count": len(workspaces),
        "workspaces": [{"id": workspace.id, "name": workspace.name} for workspace in workspaces],
    }
