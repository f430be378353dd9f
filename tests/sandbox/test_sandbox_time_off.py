"""Time off in the sandbox: policies, requests and balances behave as Clockify's recorded
answers say (docs/clockify-api.md §30), and the module is refused off the plan."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from clockify_actions.sandbox import (
    ARCHIVED_POLICY_ID,
    COLLEAGUE_USER_ID,
    DEMO_API_KEY,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    OWN_PENDING_TIME_OFF_REQUEST_ID,
    PENDING_TIME_OFF_REQUEST_ID,
    SICK_LEAVE_POLICY_ID,
    VACATION_POLICY_ID,
    Sandbox,
)
from clockify_actions.sandbox._seed import COLLEAGUE_API_KEY

_BASE = f"/workspaces/{DEMO_WORKSPACE_ID}/time-off"
_VACATION = f"{_BASE}/policies/{VACATION_POLICY_ID}"
_PENDING = f"{_VACATION}/requests/{PENDING_TIME_OFF_REQUEST_ID}"
_APPROVE = {"requiresApproval": True, "teamManagers": False, "specificMembers": False}


def _client(sandbox: Sandbox, key: str) -> httpx.Client:
    return httpx.Client(
        transport=sandbox.transport(),
        base_url="https://api.clockify.me/api/v1",
        headers={"X-Api-Key": key},
    )


@pytest.fixture
def api(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with _client(sandbox, DEMO_API_KEY) as client:
        yield client


@pytest.fixture
def member(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with _client(sandbox, COLLEAGUE_API_KEY) as client:
        yield client


def _refusal(answer: httpx.Response) -> tuple[int, Any]:
    return answer.status_code, answer.json()


def _balance(api: httpx.Client, user_id: str, policy_id: str) -> dict[str, Any]:
    rows = api.get(f"{_BASE}/balance/user/{user_id}").json()["balances"]
    found: dict[str, Any] = next(row for row in rows if row["policyId"] == policy_id)
    return found


def test_a_policy_needs_approve_and_a_name_and_answers_201_with_flat_assignees(
    api: httpx.Client,
) -> None:
    missing = api.post(f"{_BASE}/policies", json={"name": "Trip"})
    assert _refusal(missing) == (400, {"message": "must not be null", "code": 501})
    made = api.post(
        f"{_BASE}/policies",
        json={
            "name": "Trip",
            "approve": _APPROVE,
            "users": {"contains": "CONTAINS", "ids": [DEMO_USER_ID], "status": "ACTIVE"},
            "hasExpiration": True,
            "color": "#8BC34A",
        },
    )
    assert made.status_code == 201
    doc = made.json()
    assert doc["userIds"] == [DEMO_USER_ID] and "users" not in doc
    assert "hasExpiration" not in doc and "color" not in doc
    assert doc["timeUnit"] == "DAYS"


def test_a_member_may_not_create_a_policy(member: httpx.Client) -> None:
    answer = member.post(f"{_BASE}/policies", json={"name": "Trip", "approve": _APPROVE})
    assert _refusal(answer) == (403, {"message": "Access Denied", "code": 501})


def test_the_status_patch_archives_and_refuses_all(api: httpx.Client) -> None:
    assert _refusal(api.patch(_VACATION, json={"status": "ALL"})) == (
        400,
        {"message": "Invalid status", "code": 501},
    )
    assert api.patch(_VACATION, json={"status": "ARCHIVED"}).json()["archived"] is True
    listed = api.get(f"{_BASE}/policies", params={"status": "ACTIVE"}).json()
    assert [p["id"] for p in listed] == [SICK_LEAVE_POLICY_ID]


def test_a_policy_is_deleted_only_once_archived(api: httpx.Client) -> None:
    assert api.delete(_VACATION).status_code == 400
    assert api.delete(f"{_BASE}/policies/{ARCHIVED_POLICY_ID}").status_code == 200
    assert api.get(f"{_BASE}/policies/{ARCHIVED_POLICY_ID}").status_code == 400


def test_the_put_replaces_the_whole_policy(api: httpx.Client) -> None:
    partial = api.put(_VACATION, json={"name": "Annual leave", "approve": _APPROVE})
    assert _refusal(partial) == (400, {"message": "must not be null", "code": 501})
    assert api.get(_VACATION).json()["name"] == "Vacation"


def test_the_period_shape_follows_the_policy_unit(api: httpx.Client) -> None:
    days_with_end = {"timeOffPeriod": {"period": {"start": "2026-04-22", "end": "2026-04-23"}}}
    assert api.post(f"{_VACATION}/requests", json=days_with_end).json()["message"] == (
        "Value for number of days is not allowed"
    )
    millis = {
        "timeOffPeriod": {
            "period": {"start": "2026-04-22T08:00:00.000Z", "end": "2026-04-22T12:00:00Z"}
        }
    }
    sick = f"{_BASE}/policies/{SICK_LEAVE_POLICY_ID}/requests"
    assert api.post(sick, json=millis).json()["message"] == "invalid date format"


def test_a_days_request_runs_midnight_to_2359_in_the_user_zone_and_waits(
    api: httpx.Client,
) -> None:
    made = api.post(
        f"{_VACATION}/requests",
        json={"timeOffPeriod": {"period": {"start": "2026-04-22", "days": 3}}},
    )
    assert made.status_code == 200  # not 201
    doc = made.json()
    # The demo user is in Europe/Berlin, UTC+2 in April: the live example's very period.
    assert doc["timeOffPeriod"]["period"] == {
        "start": "2026-04-21T22:00:00Z",
        "end": "2026-04-24T21:59:00Z",
    }
    assert (doc["status"]["statusType"], doc["balanceDiff"], doc["balance"]) == (
        "PENDING",
        3.0,
        20.0,
    )


def test_non_working_days_are_refused(api: httpx.Client) -> None:
    saturday = {"timeOffPeriod": {"period": {"start": "2026-04-25", "days": 1}}}
    answer = api.post(f"{_VACATION}/requests", json=saturday)
    assert _refusal(answer) == (
        400,
        {"message": "Requested start or end date are non-working days", "code": 501},
    )


def test_an_hours_policy_without_approval_approves_and_takes_the_hours(
    api: httpx.Client,
) -> None:
    body = {
        "timeOffPeriod": {
            "period": {"start": "2026-04-22T08:00:00Z", "end": "2026-04-22T12:00:00Z"}
        }
    }
    doc = api.post(f"{_BASE}/policies/{SICK_LEAVE_POLICY_ID}/requests", json=body).json()
    assert (doc["status"]["statusType"], doc["balanceDiff"]) == ("APPROVED", 4.0)
    row = _balance(api, DEMO_USER_ID, SICK_LEAVE_POLICY_ID)
    assert (row["balance"], row["used"]) == (36.0, 4.0)


def test_approving_takes_the_days_and_rejecting_gives_them_back(api: httpx.Client) -> None:
    approved = api.patch(_PENDING, json={"status": "APPROVED"}).json()
    assert approved["status"]["statusType"] == "APPROVED"
    assert "balance" not in approved and "policyName" not in approved  # the short answer
    assert _balance(api, COLLEAGUE_USER_ID, VACATION_POLICY_ID)["balance"] == 12.0
    rejected = api.patch(_PENDING, json={"status": "REJECTED", "note": "Busy week"}).json()
    assert rejected["status"]["note"] == "Busy week"
    row = _balance(api, COLLEAGUE_USER_ID, VACATION_POLICY_ID)
    assert (row["balance"], row["used"]) == (15.0, 2.0)


def test_only_approved_or_rejected_is_a_status_target(api: httpx.Client) -> None:
    assert api.patch(_PENDING, json={"status": "PENDING"}).status_code == 400


def test_only_a_pending_request_can_be_deleted(api: httpx.Client) -> None:
    api.patch(_PENDING, json={"status": "REJECTED"})
    assert api.delete(_PENDING).status_code == 400


def test_a_deleted_request_answers_as_it_was_and_leaves_the_search(api: httpx.Client) -> None:
    deleted = api.delete(_PENDING)
    assert deleted.status_code == 200
    assert deleted.json()["status"]["statusType"] == "PENDING"
    found = api.post(f"{_BASE}/requests", json={}).json()
    assert [r["id"] for r in found["requests"]] == [OWN_PENDING_TIME_OFF_REQUEST_ID]


def test_the_search_filters_by_status_and_refuses_withdrawn(api: httpx.Client) -> None:
    pending = api.post(f"{_BASE}/requests", json={"statuses": ["PENDING"]}).json()
    assert [r["id"] for r in pending["requests"]] == [
        OWN_PENDING_TIME_OFF_REQUEST_ID,
        PENDING_TIME_OFF_REQUEST_ID,
    ]
    assert api.post(f"{_BASE}/requests", json={"statuses": ["APPROVED"]}).json()["count"] == 0
    withdrawn = api.post(f"{_BASE}/requests", json={"statuses": ["WITHDRAWN"]})
    assert withdrawn.status_code == 400 and withdrawn.json()["code"] == 501
    assert api.get(f"{_BASE}/requests").status_code == 405


def test_a_member_sees_only_their_requests_and_may_not_approve(
    api: httpx.Client, member: httpx.Client
) -> None:
    api.post(
        f"{_VACATION}/requests",
        json={"timeOffPeriod": {"period": {"start": "2026-04-22", "days": 1}}},
    )
    mine = member.post(f"{_BASE}/requests", json={}).json()
    assert [r["userId"] for r in mine["requests"]] == [COLLEAGUE_USER_ID]
    assert member.patch(_PENDING, json={"status": "APPROVED"}).status_code == 403


def test_an_admin_requests_for_a_member_and_a_member_not_for_another(
    api: httpx.Client, member: httpx.Client
) -> None:
    body = {"timeOffPeriod": {"period": {"start": "2026-04-22", "days": 1}}}
    made = api.post(f"{_VACATION}/users/{COLLEAGUE_USER_ID}/requests", json=body).json()
    assert (made["userId"], made["requesterUserId"]) == (COLLEAGUE_USER_ID, DEMO_USER_ID)
    refused = member.post(f"{_VACATION}/users/{DEMO_USER_ID}/requests", json=body)
    assert refused.status_code == 403


def test_the_balance_patch_answers_204_and_sets_the_value(api: httpx.Client) -> None:
    path = f"{_BASE}/balance/policy/{VACATION_POLICY_ID}"
    answer = api.patch(path, json={"userIds": [DEMO_USER_ID], "value": 25, "note": "Bonus"})
    assert (answer.status_code, answer.content) == (204, b"")
    assert _balance(api, DEMO_USER_ID, VACATION_POLICY_ID)["balance"] == 25.0
    missing = api.patch(path, json={"value": 3})
    assert _refusal(missing) == (400, {"message": "must not be null", "code": 501})


def test_balance_rows_carry_the_fourteen_live_keys(api: httpx.Client) -> None:
    answer = api.get(f"{_BASE}/balance/policy/{VACATION_POLICY_ID}")
    assert answer.headers["Last-Page"] == "true"
    body = answer.json()
    assert body["count"] == 2
    assert set(body["balances"][0]) == {
        "balance", "id", "negativeBalanceAmount", "negativeBalanceLimit",
        "negativeBalanceUsed", "policyArchived", "policyId", "policyName", "policyTimeUnit",
        "total", "used", "userId", "userName", "workspaceId",
    }  # fmt: skip


def test_time_off_is_refused_off_the_plan_and_when_switched_off(
    sandbox: Sandbox, api: httpx.Client
) -> None:
    sandbox.set_plan(DEMO_WORKSPACE_ID, "basic")
    assert (api.get(f"{_BASE}/policies").status_code, api.get(f"{_BASE}/policies").content) == (
        402,
        b"",
    )
    sandbox.set_plan(DEMO_WORKSPACE_ID, "standard", modules={"TIME_OFF": False})
    assert _refusal(api.post(f"{_BASE}/requests", json={})) == (
        403,
        {"message": "Access Denied", "code": 501},
    )
