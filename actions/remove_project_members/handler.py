from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.projects.members import change_members


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    return change_members(
        client, params["workspace_id"], params["project_id"], params["user_ids"], remove=True
    )
