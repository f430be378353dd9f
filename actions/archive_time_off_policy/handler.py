from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.common.helpers import answered_about, written
from clockify_actions.resources.time_off.helpers import policies_path, policy_output
from clockify_actions.resources.time_off.wire import TimeOffPolicy


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    path = policies_path(client, params["workspace_id"], params["policy_id"])
    status = "ARCHIVED" if params.get("archived", True) else "ACTIVE"
    policy, writes = written(client, lambda: client.patch(path, {"status": status}, TimeOffPolicy))
    result = policy_output(policy)
    answered_about(
        result, {"id": params["policy_id"]}, "time-off policy", f"PATCH {path}", writes=writes
    )
    return result
