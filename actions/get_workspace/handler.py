from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.clockify.models import WorkspaceDetail, WorkspaceSettings


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    workspace = client.get(client.path("workspaces", params["workspace_id"]), WorkspaceDetail)
    settings = workspace.settings or WorkspaceSettings()
    return {
        "id": workspace.id,
        "name": workspace.name,
        "currency": workspace.hourly_rate.currency if workspace.hourly_rate else None,
        "subscription": workspace.subscription,
        "settings": settings.model_dump(),
    }
