from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.tags.helpers import list_tags, tag_output


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    query: dict[str, Any] = {key: params[key] for key in ("name", "archived") if key in params}
    tags = list_tags(client, params["workspace_id"], query)
    return {"count": len(tags), "tags": [tag_output(t) for t in tags]}
