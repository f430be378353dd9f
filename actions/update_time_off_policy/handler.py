from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.time_off.helpers import (
    approval,
    assignees,
    negative_balance,
    policy_output,
    update_policy,
)
from clockify_actions.resources.time_off.wire import TimeOffPolicy

# Each input and the result's fields it sets.
_CHANGES = {
    "name": ["name"],
    "requires_approval": ["requires_approval"],
    "approver_ids": ["approver_ids"],
    "team_managers_approve": ["team_managers_approve"],
    "user_ids": ["user_ids"],
    "everyone_including_new": ["everyone_including_new"],
    "allow_half_day": ["allow_half_day"],
    "allow_negative_balance": ["allow_negative_balance", "negative_balance_limit"],
    "negative_balance_limit": ["negative_balance_limit"],
    "remove_negative_balance_limit": ["negative_balance_limit"],
    "color": [],
    "icon": [],
}


def _replacement(current: TimeOffPolicy, params: dict[str, Any]) -> dict[str, Any]:
    """The whole policy, as Clockify's PUT replaces it: what was read, with the changes.
    `hasExpiration` is never read back, so it is sent as false (what it was is unknown)."""
    negative = current.negative_balance
    limit = negative.amount if negative is not None else None
    if params.get("remove_negative_balance_limit"):
        limit = None
    limit = params.get("negative_balance_limit", limit)
    body: dict[str, Any] = {
        "name": params.get("name", current.name),
        "approve": approval(params, current),
        "archived": current.archived,
        "allowHalfDay": params.get("allow_half_day", current.allow_half_day),
        "allowNegativeBalance": params.get(
            "allow_negative_balance", current.allow_negative_balance
        ),
        "everyoneIncludingNew": params.get(
            "everyone_including_new", current.everyone_including_new
        ),
        "hasExpiration": False,
        "users": assignees(params.get("user_ids", list(current.user_ids))),
        "userGroups": assignees(list(current.user_group_ids)),
    }
    if body["allowNegativeBalance"] and limit is not None:
        body["negativeBalance"] = negative_balance(limit, current.time_unit)
    accrual = current.automatic_accrual
    if accrual is not None:
        body["automaticAccrual"] = {
            "amount": accrual.amount or 0,
            "period": accrual.period,
            "timeUnit": accrual.time_unit,
        }
    creation = current.automatic_time_entry_creation
    if creation is not None:
        defaults = creation.default_entities
        body["automaticTimeEntryCreation"] = {
            "enabled": creation.enabled,
            "defaultEntities": {
                "projectId": defaults.project_id if defaults else None,
                "taskId": defaults.task_id if defaults else None,
            },
        }
    for key in ("color", "icon"):
        if key in params:
            body[key] = params[key]
    return body


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    if not any(name in params for name in _CHANGES):
        raise invalid("", f"give at least one setting to change: {', '.join(_CHANGES)}")
    if "negative_balance_limit" in params and params.get("remove_negative_balance_limit"):
        raise invalid(
            "/remove_negative_balance_limit",
            "give negative_balance_limit or remove_negative_balance_limit, not both",
        )
    touched = {field for name in _CHANGES if name in params for field in _CHANGES[name]}
    policy = update_policy(
        client,
        params["workspace_id"],
        params["policy_id"],
        lambda current: _replacement(current, params),
        touched,
    )
    return policy_output(policy)
