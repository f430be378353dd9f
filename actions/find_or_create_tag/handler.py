from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.common.lookup import clean_name, find_or_create
from clockify_actions.resources.tags.helpers import create_tag, tag_named, tag_output


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    workspace_id, name = params["workspace_id"], params["name"]
    item, created = find_or_create(
        lambda: tag_named(client, workspace_id, name),
        lambda: create_tag(client, workspace_id, clean_name(name)),
    )
    return {**tag_output(item), "created": created}
