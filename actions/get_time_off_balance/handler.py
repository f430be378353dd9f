from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.time_off.helpers import balance_output, balances


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    workspace_id = params["workspace_id"]
    if "user_id" in params:
        path = client.path(
            "workspaces", workspace_id, "time-off", "balance", "user", params["user_id"]
        )
        rows = balances(client, path)
        if "policy_id" in params:
            rows = [row for row in rows if row.policy_id == params["policy_id"]]
    elif "policy_id" in params:
        path = client.path(
            "workspaces", workspace_id, "time-off", "balance", "policy", params["policy_id"]
        )
        rows = balances(client, path)
    else:
        raise invalid("", "give user_id, policy_id or both")
    return {"count": len(rows), "balances": [balance_output(row) for row in rows]}
