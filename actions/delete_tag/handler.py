from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.tags.helpers import delete_tag


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    deleted = delete_tag(client, params["workspace_id"], params["tag_id"])
    return {"id": deleted.id, "name": deleted.name, "deleted": True}
