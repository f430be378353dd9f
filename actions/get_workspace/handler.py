from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.workspaces.wire import WorkspaceDetail

# The workspace settings a workflow checks before writing, as the output names them.
SETTINGS = (
    "force_projects",
    "force_tasks",
    "force_tags",
    "force_description",
    "default_billable_projects",
    "project_public_by_default",
    "only_admins_create_project",
    "only_admins_create_tag",
    "only_admins_create_task",
)


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    workspace = client.get(client.path("workspaces", params["workspace_id"]), WorkspaceDetail)
    settings = workspace.settings
    return {
        "id": workspace.id,
        "name": workspace.name,
        "currency": workspace.hourly_rate.currency if workspace.hourly_rate else None,
        "subscription": workspace.subscription,
        "settings": {name: getattr(settings, name, None) for name in SETTINGS},
    }
