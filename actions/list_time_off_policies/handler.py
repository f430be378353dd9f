from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.time_off.helpers import list_policies, policy_output


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    query: dict[str, Any] = {"status": params.get("status", "ACTIVE")}
    if "name" in params:
        query["name"] = params["name"]
    policies = list_policies(client, params["workspace_id"], query)
    return {"count": len(policies), "policies": [policy_output(p) for p in policies]}
