"""The time-off actions' own refusals: input Clockify would take wrongly, or could not
take, is refused before anything is sent."""

from __future__ import annotations

from conftest import Run
from fake_clockify import WS, FakeClockify

_POLICY = "64b7c0de5eed000000001201"


def test_a_negative_balance_limit_needs_negative_balances(run: Run, clockify: FakeClockify) -> None:
    result = run(
        "create_time_off_policy",
        {"workspace_id": WS, "name": "Vacation", "negative_balance_limit": 2},
    )
    assert result["error"]["type"] == "validation_error"
    assert result["error"]["details"][0]["path"] == "/negative_balance_limit"
    assert clockify.sent == []


def test_an_update_needs_a_change_and_one_limit_rule(run: Run, clockify: FakeClockify) -> None:
    nothing = run("update_time_off_policy", {"workspace_id": WS, "policy_id": _POLICY})
    assert nothing["error"]["type"] == "validation_error"
    both = run(
        "update_time_off_policy",
        {
            "workspace_id": WS,
            "policy_id": _POLICY,
            "negative_balance_limit": 1,
            "remove_negative_balance_limit": True,
        },
    )
    assert both["error"]["details"][0]["path"] == "/remove_negative_balance_limit"
    assert clockify.sent == []


def test_a_request_with_both_days_and_end_is_refused_before_anything_is_sent(
    run: Run, clockify: FakeClockify
) -> None:
    result = run(
        "create_time_off_request",
        {
            "workspace_id": WS,
            "policy_id": _POLICY,
            "start": "2026-04-22",
            "days": 2,
            "end": "2026-04-24T00:00:00Z",
        },
    )
    assert result["error"]["details"][0]["path"] == "/end"
    assert clockify.sent == []


def test_a_request_start_must_be_a_date_or_a_timestamp(run: Run, clockify: FakeClockify) -> None:
    result = run(
        "create_time_off_request",
        {"workspace_id": WS, "policy_id": _POLICY, "start": "next Monday", "days": 1},
    )
    assert result["error"]["type"] == "validation_error"
    assert result["error"]["details"][0]["path"] == "/start"
    assert clockify.sent == []


def test_a_balance_needs_a_user_or_a_policy(run: Run, clockify: FakeClockify) -> None:
    result = run("get_time_off_balance", {"workspace_id": WS})
    assert result["error"]["type"] == "validation_error"
    assert clockify.sent == []


def test_days_and_balance_values_past_clockify_limits_are_refused_before_sending(
    run: Run, clockify: FakeClockify
) -> None:
    days = run(
        "create_time_off_request",
        {"workspace_id": WS, "policy_id": _POLICY, "start": "2026-04-22", "days": 1000},
    )
    assert days["error"]["details"][0]["path"] == "/days"
    value = run(
        "update_time_off_balance",
        {"workspace_id": WS, "policy_id": _POLICY, "user_ids": [_POLICY], "value": 10000.5},
    )
    assert value["error"]["details"][0]["path"] == "/value"
    assert clockify.sent == []
