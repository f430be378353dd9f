from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.common.helpers import answered_about, written
from clockify_actions.resources.time_off.helpers import request_output, requests_path
from clockify_actions.resources.time_off.wire import TimeOffRequest


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    path = requests_path(client, params["workspace_id"], params["policy_id"], params["request_id"])
    request, writes = written(client, lambda: client.delete_returning(path, TimeOffRequest))
    result = request_output(request)
    asked = {"id": params["request_id"], "policy_id": params["policy_id"]}
    answered_about(result, asked, "time-off request", f"DELETE {path}", writes=writes)
    return result
