"""The project's money and planning actions (estimates, rates, members, templates): what
they refuse before sending anything, and what they send."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import Run
from fake_clockify import PROJECT, WS, FakeClockify, project

USER_ID = "64b7c0de5eed000000000a03"


@pytest.mark.parametrize(
    ("params", "path"),
    [
        ({}, ""),
        ({"include_expenses": True, "time_estimate": "PT8H"}, "/include_expenses"),
        ({"time_estimate_reset": "WEEKLY", "budget_estimate": 100}, "/time_estimate_reset"),
        ({"time_estimate": "PT"}, "/time_estimate"),
        ({"budget_estimate": -1}, "/budget_estimate"),
    ],
)
def test_set_project_estimate_refuses_an_incomplete_estimate_without_sending(
    run: Run, clockify: FakeClockify, params: dict[str, Any], path: str
) -> None:
    result = run("set_project_estimate", {"workspace_id": WS, "project_id": PROJECT, **params})
    assert result["error"]["type"] == "validation_error"
    assert result["error"]["details"][0]["path"] == path
    assert clockify.sent == []


@pytest.mark.parametrize(
    ("params", "path"),
    [
        ({}, ""),
        ({"hourly_rate": -1}, "/hourly_rate"),
        ({"cost_rate": 12.5}, "/cost_rate"),
        ({"hourly_rate": 5000, "since": "2026-02-01"}, "/since"),
    ],
)
def test_set_user_rate_refuses_a_rate_that_is_not_whole_cents_without_sending(
    run: Run, clockify: FakeClockify, params: dict[str, Any], path: str
) -> None:
    result = run("set_user_rate", {"workspace_id": WS, "user_id": USER_ID, **params})
    assert result["error"]["type"] == "validation_error"
    assert result["error"]["details"][0]["path"] == path
    assert clockify.sent == []


def test_set_workspace_rate_refuses_a_currency_without_an_hourly_rate(
    run: Run, clockify: FakeClockify
) -> None:
    result = run("set_workspace_rate", {"workspace_id": WS, "cost_rate": 100, "currency": "EUR"})
    assert result["error"]["type"] == "validation_error"
    assert result["error"]["details"][0]["path"] == "/currency"
    assert clockify.sent == []


def test_set_workspace_rate_sends_the_workspaces_own_currency_back(
    run: Run, clockify: FakeClockify
) -> None:
    workspace = {"id": WS, "name": "W", "hourlyRate": {"amount": 100, "currency": "EUR"}}
    clockify.answer("GET", f"/workspaces/{WS}", body=workspace)
    answer = {**workspace, "hourlyRate": {"amount": 9000, "currency": "EUR"}}
    clockify.answer("PUT", f"/workspaces/{WS}/hourly-rate", body=answer)
    result = run("set_workspace_rate", {"workspace_id": WS, "hourly_rate": 9000})
    assert result["hourly_rate"] == {"amount": 9000, "currency": "EUR"}
    assert clockify.sent[-1].body == {"amount": 9000, "currency": "EUR"}


def test_set_project_rate_reports_an_answer_with_other_rates_as_applied(
    run: Run, clockify: FakeClockify
) -> None:
    clockify.answer("GET", f"/workspaces/{WS}/projects/{PROJECT}", body=project())
    clockify.answer("PUT", f"/workspaces/{WS}/projects/{PROJECT}", body=project())
    result = run(
        "set_project_rate", {"workspace_id": WS, "project_id": PROJECT, "hourly_rate": 9500}
    )
    assert result["error"]["type"] == "contract_error"
    assert result["error"]["details"][-1]["outcome"] == "applied"
    sent = clockify.sent[-1].body
    assert sent["hourlyRate"] == {"amount": 9500} and "costRate" not in sent
    assert (sent["name"], sent["billable"], sent["isPublic"]) == ("Sample Project", True, False)


def test_set_project_rate_takes_the_old_rate_back_when_it_applies_only_from_since(
    run: Run, clockify: FakeClockify
) -> None:
    clockify.answer("GET", f"/workspaces/{WS}/projects/{PROJECT}", body=project())
    clockify.answer("PUT", f"/workspaces/{WS}/projects/{PROJECT}", body=project())
    params = {"hourly_rate": 9500, "since": "2027-01-01T00:00:00Z"}
    result = run("set_project_rate", {"workspace_id": WS, "project_id": PROJECT, **params})
    assert result["hourly_rate"] == {"amount": 0, "currency": "USD"}
    assert clockify.sent[-1].body["hourlyRate"] == {"amount": 9500, "since": "2027-01-01T00:00:00Z"}
