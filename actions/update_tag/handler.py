from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.tags.helpers import CHANGEABLE, tag_output, update_tag


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    if not any(name in params for name in CHANGEABLE):
        raise invalid("", f"give at least one field to change: {', '.join(CHANGEABLE)}")
    return tag_output(update_tag(client, params["workspace_id"], params["tag_id"], params))
