from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.tags.helpers import get_tag, tag_output


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    return tag_output(get_tag(client, params["workspace_id"], params["tag_id"]))
