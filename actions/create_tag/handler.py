from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.tags.helpers import create_tag, tag_output


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    return tag_output(create_tag(client, params["workspace_id"], params["name"].strip()))
