from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.clockify.sending import settled
from clockify_actions.errors import ActionError, WriteOutcome, invalid
from clockify_actions.resources.common.helpers import written
from clockify_actions.resources.time_off.helpers import balance_output, balances


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    if params["value"] > 10000:
        raise invalid("/value", "must be at most 10000")
    path = client.path(
        "workspaces", params["workspace_id"], "time-off", "balance", "policy", params["policy_id"]
    )
    body: dict[str, Any] = {"userIds": params["user_ids"], "value": params["value"]}
    if "note" in params:
        body["note"] = params["note"]
    _, writes = written(client, lambda: client.patch_empty(path, body))
    try:
        rows = balances(client, path)
    except ActionError as error:  # the change was made: it must not be sent again blindly
        raise settled(error, "PATCH", writes, WriteOutcome.APPLIED) from None
    wanted = set(params["user_ids"])
    chosen = [balance_output(row) for row in rows if row.user_id in wanted]
    return {"count": len(chosen), "balances": chosen}
