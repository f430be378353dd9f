"""What the time-off actions share: policies, requests and balances in the pack's
vocabulary, and the one way each is read and written (docs/clockify-api.md, "Time off")."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.clockify.sending import endless
from clockify_actions.resources.common.helpers import read_and_replace
from clockify_actions.resources.time_off.wire import (
    TimeOffBalance,
    TimeOffBalances,
    TimeOffPolicy,
    TimeOffRequest,
    TimeOffRequests,
)

# Clockify's largest page of the time-off lists (the spec's maximum, docs/clockify-api.md).
PAGE_SIZE = 200
# The last page Clockify serves of the request search and the balances (`page` ≤ 1000).
MAX_PAGE = 1000


def policy_output(policy: TimeOffPolicy) -> dict[str, Any]:
    approve = policy.approve
    negative = policy.negative_balance
    return {
        "id": policy.id,
        "name": policy.name,
        "time_unit": policy.time_unit,
        "archived": policy.archived,
        "requires_approval": bool(approve and approve.requires_approval),
        "team_managers_approve": bool(approve and approve.team_managers),
        "approver_ids": list(approve.user_ids) if approve else [],
        "user_ids": list(policy.user_ids),
        "user_group_ids": list(policy.user_group_ids),
        "everyone_including_new": policy.everyone_including_new,
        "allow_half_day": policy.allow_half_day,
        "allow_negative_balance": policy.allow_negative_balance,
        "negative_balance_limit": negative.amount
        if policy.allow_negative_balance and negative is not None
        else None,
    }


def request_output(request: TimeOffRequest) -> dict[str, Any]:
    period = request.time_off_period
    span = period.period if period is not None else None
    status = request.status
    return {
        "id": request.id,
        "policy_id": request.policy_id,
        "policy_name": request.policy_name,
        "user_id": request.user_id,
        "user_name": request.user_name,
        "state": status.status_type,
        "time_unit": request.time_unit,
        "start": span.start if span else None,
        "end": span.end if span else None,
        "half_day": bool(period and period.half_day),
        "amount": request.balance_diff,
        "balance": request.balance,
        "note": request.note,
        "created_at": request.created_at,
        "requester_user_id": request.requester_user_id,
        "state_changed_at": status.changed_at,
        "state_changed_by_user_id": status.changed_by_user_id,
        "state_note": status.note,
        "summary": _request_summary(request),
    }


def _request_summary(request: TimeOffRequest) -> str:
    """The request in words, e.g. "Vacation: 3 days from 2026-03-02T00:00:00Z (PENDING)"."""
    period = request.time_off_period
    start = period.period.start if period is not None and period.period is not None else None
    unit = "hours" if request.time_unit == "HOURS" else "days"
    amount = _amount(request.balance_diff, unit) if request.time_unit else None
    words = amount or "time off"
    if start:
        words += f" from {start}"
    named = f"{request.policy_name}: " if request.policy_name else ""
    return f"{named}{words} ({request.status.status_type})"


def _amount(value: float | None, unit: str) -> str:
    number = f"{value or 0:g}"
    return f"{number} {unit[:-1] if number in ('1', '-1') else unit}"


def balance_output(row: TimeOffBalance) -> dict[str, Any]:
    unit = "hours" if row.policy_time_unit == "HOURS" else "days"
    return {
        "policy_id": row.policy_id,
        "policy_name": row.policy_name,
        "policy_archived": row.policy_archived,
        "user_id": row.user_id,
        "user_name": row.user_name,
        "unit": unit,
        "balance": row.balance,
        "used": row.used,
        "total": row.total,
        "summary": f"{_amount(row.balance, unit)} left ({_amount(row.used, unit)} used)",
    }


def policies_path(client: ClockifyClient, workspace_id: str, *rest: str) -> str:
    return client.path("workspaces", workspace_id, "time-off", "policies", *rest)


def list_policies(
    client: ClockifyClient, workspace_id: str, query: Mapping[str, Any]
) -> list[TimeOffPolicy]:
    """Every page of the workspace's policies."""
    path = policies_path(client, workspace_id)
    return list(client.iter_all(path, TimeOffPolicy, query, page_size=PAGE_SIZE))


def get_policy(client: ClockifyClient, workspace_id: str, policy_id: str) -> TimeOffPolicy:
    return client.get(policies_path(client, workspace_id, policy_id), TimeOffPolicy)


def assignees(ids: list[str]) -> dict[str, Any]:
    """Members as a policy is written with them: a filter, read back flat as `userIds`."""
    return {"contains": "CONTAINS", "ids": ids, "status": "ACTIVE"}


def approval(params: Mapping[str, Any], current: TimeOffPolicy | None = None) -> dict[str, Any]:
    """The policy's `approve`, from the input over what the policy has."""
    approve = current.approve if current is not None else None
    approvers = params.get("approver_ids", list(approve.user_ids) if approve else [])
    return {
        "requiresApproval": params.get(
            "requires_approval", approve.requires_approval if approve else True
        ),
        "teamManagers": params.get(
            "team_managers_approve", approve.team_managers if approve else False
        ),
        "specificMembers": bool(approvers),
        "userIds": approvers,
    }


def negative_balance(limit: float | None, unit: str) -> dict[str, Any] | None:
    return None if limit is None else {"amount": limit, "timeUnit": unit, "shouldReset": False}


def update_policy(
    client: ClockifyClient,
    workspace_id: str,
    policy_id: str,
    replacement: Callable[[TimeOffPolicy], dict[str, Any]],
    touched: set[str],
) -> TimeOffPolicy:
    """The policy replaced by `replacement` of it as read (Clockify's PUT replaces a policy
    whole), with another's change in between caught as `read_and_replace` does."""
    fields = [
        "name",
        "archived",
        "requires_approval",
        "team_managers_approve",
        "approver_ids",
        "user_ids",
        "everyone_including_new",
        "allow_half_day",
        "allow_negative_balance",
        "negative_balance_limit",
    ]
    return read_and_replace(
        client,
        policies_path(client, workspace_id, policy_id),
        TimeOffPolicy,
        what="time-off policy",
        view=policy_output,
        asked={"id": policy_id},
        replacement=replacement,
        untouched=[field for field in fields if field not in touched],
    )


def _every_page(
    client: ClockifyClient, method: str, path: str, fetch: Callable[[int], tuple[list[Any], int]]
) -> list[Any]:
    """The items of every page `fetch(number)` gives, with the whole match's count: pages
    are asked for until a short one or the count is reached. Never a cut list: past
    Clockify's last page (1000) or the pack's caps it is an `upstream_error`."""
    found: list[Any] = []
    settings = client.settings
    for number in range(1, min(MAX_PAGE, settings.max_pages) + 1):
        items, count = fetch(number)
        found.extend(items)
        if len(found) > settings.max_list_items:
            raise endless(
                path, f"the list passed the pack's cap of {settings.max_list_items:,} items", method
            )
        if len(items) < PAGE_SIZE or len(found) >= count:
            return found
    raise endless(path, f"the list was not whole after {number} pages", method)


def search_requests(
    client: ClockifyClient, workspace_id: str, body: Mapping[str, Any]
) -> list[TimeOffRequest]:
    """Every page of `POST /time-off/requests`, a search sent as a POST that changes
    nothing, retried as a read is."""
    path = client.path("workspaces", workspace_id, "time-off", "requests")

    def fetch(number: int) -> tuple[list[Any], int]:
        page = client.query(path, {**body, "page": number, "pageSize": PAGE_SIZE}, TimeOffRequests)
        return list(page.requests), page.count

    requests: list[TimeOffRequest] = _every_page(client, "POST", path, fetch)
    return requests


def requests_path(client: ClockifyClient, workspace_id: str, policy_id: str, *rest: str) -> str:
    return policies_path(client, workspace_id, policy_id, "requests", *rest)


def balances(client: ClockifyClient, path: str) -> list[TimeOffBalance]:
    """Every page of a balance list (`{balances, count}`)."""

    def fetch(number: int) -> tuple[list[Any], int]:
        page = client.get(path, TimeOffBalances, {"page": number, "page-size": PAGE_SIZE})
        return list(page.balances), page.count

    rows: list[TimeOffBalance] = _every_page(client, "GET", path, fetch)
    return rows
