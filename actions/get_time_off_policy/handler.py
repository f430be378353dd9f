from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.common.helpers import answered_about
from clockify_actions.resources.time_off.helpers import get_policy, policy_output


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    policy = policy_output(get_policy(client, params["workspace_id"], params["policy_id"]))
    answered_about(policy, {"id": params["policy_id"]}, "time-off policy", "GET policy")
    return policy
