from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.time_off.helpers import (
    approval,
    assignees,
    negative_balance,
    policies_path,
    policy_output,
)
from clockify_actions.resources.time_off.wire import TimeOffPolicy


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    limit = params.get("negative_balance_limit")
    if limit is not None and not params.get("allow_negative_balance"):
        raise invalid("/negative_balance_limit", "needs allow_negative_balance true")
    unit = params.get("time_unit", "DAYS")
    body: dict[str, Any] = {
        "name": params["name"],
        "timeUnit": unit,
        "approve": approval(params),
        "allowHalfDay": params.get("allow_half_day", False),
        "allowNegativeBalance": params.get("allow_negative_balance", False),
        "everyoneIncludingNew": params.get("everyone_including_new", False),
        "users": assignees(params.get("user_ids", [])),
        "userGroups": assignees([]),
    }
    if limit is not None:
        body["negativeBalance"] = negative_balance(limit, unit)
    for key, name in (("color", "color"), ("icon", "icon")):
        if key in params:
            body[name] = params[key]
    path = policies_path(client, params["workspace_id"])
    return policy_output(client.post(path, body, TimeOffPolicy))
