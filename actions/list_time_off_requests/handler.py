from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.time_off.helpers import request_output, search_requests
from clockify_actions.timeutil import parse_timestamp, to_wire


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if "statuses" in params:
        body["statuses"] = params["statuses"]
    if "user_ids" in params:
        body["users"] = params["user_ids"]
    for key in ("start", "end"):
        if key in params:
            body[key] = to_wire(parse_timestamp(params[key]))
    found = search_requests(client, params["workspace_id"], body)
    if "policy_id" in params:  # Clockify's search has no policy filter
        found = [request for request in found if request.policy_id == params["policy_id"]]
    return {"count": len(found), "requests": [request_output(r) for r in found]}
