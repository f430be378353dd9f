"""Plans and paid modules: a route of a module the workspace's plan lacks, or has switched
off, is refused as Clockify refuses it, and the pack's error says what it needs."""

from __future__ import annotations

import httpx
import pytest

from clockify_actions.clockify.errors import error_for_response
from clockify_actions.errors import ErrorType
from clockify_actions.sandbox import (
    DEMO_API_KEY,
    DEMO_WORKSPACE_ID,
    DESIGN_TASK_ID,
    SAMPLE_PROJECT_ID,
    SECOND_WORKSPACE_ID,
    Sandbox,
)

_RATE = (
    f"/workspaces/{DEMO_WORKSPACE_ID}/projects/{SAMPLE_PROJECT_ID}"
    f"/tasks/{DESIGN_TASK_ID}/hourly-rate"
)


def _put_rate(sandbox: Sandbox) -> httpx.Response:
    with httpx.Client(
        transport=sandbox.transport(),
        base_url="https://api.clockify.me/api/v1",
        headers={"X-Api-Key": DEMO_API_KEY},
    ) as api:
        return api.put(_RATE, json={"amount": 5000})


def test_the_demo_workspace_has_every_paid_module_and_the_second_none(sandbox: Sandbox) -> None:
    demo = sandbox.set_plan(DEMO_WORKSPACE_ID)
    assert demo["subscription"] == "PRO_2021"
    assert {"INVOICING", "EXPENSES", "TASK_RATES", "SHARED_REPORTS"} <= set(demo["features"])
    second = sandbox.set_plan(SECOND_WORKSPACE_ID)
    assert (second["subscription"], second["features"]) == (None, ["TIME_TRACKING"])
    assert _put_rate(sandbox).status_code == 200


def test_a_module_off_the_plan_is_402_with_an_empty_body(sandbox: Sandbox) -> None:
    sandbox.set_plan(DEMO_WORKSPACE_ID, "standard")
    answer = _put_rate(sandbox)
    assert (answer.status_code, answer.content) == (402, b"")
    error = error_for_response(answer.status_code, answer.content)
    assert error.type is ErrorType.PERMISSION and "plan" in error.message


def test_a_module_switched_off_is_403_access_denied_and_nothing_is_written(
    sandbox: Sandbox,
) -> None:
    sandbox.set_plan(DEMO_WORKSPACE_ID, modules={"TASK_RATES": False})
    answer = _put_rate(sandbox)
    assert answer.status_code == 403
    assert answer.json() == {"message": "Access Denied", "code": 501}
    sandbox.set_plan(DEMO_WORKSPACE_ID, modules={"TASK_RATES": True})
    assert _put_rate(sandbox).json()["hourlyRate"]["amount"] == 5000


def test_the_plan_shows_in_the_workspace_as_clockify_sends_it(sandbox: Sandbox) -> None:
    sandbox.set_plan(DEMO_WORKSPACE_ID, "basic")
    with httpx.Client(
        transport=sandbox.transport(),
        base_url="https://api.clockify.me/api/v1",
        headers={"X-Api-Key": DEMO_API_KEY},
    ) as api:
        doc = api.get(f"/workspaces/{DEMO_WORKSPACE_ID}").json()
    assert doc["featureSubscriptionType"] == "BASIC_2021"
    assert "ADD_TIME_FOR_OTHERS" in doc["features"] and "INVOICING" not in doc["features"]


def test_an_unknown_plan_or_module_is_refused_and_changes_nothing(sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="unknown plan"):
        sandbox.set_plan(DEMO_WORKSPACE_ID, "gold")
    with pytest.raises(ValueError, match="unknown module"):
        sandbox.set_plan(DEMO_WORKSPACE_ID, "free", {"NOPE": False})
    assert sandbox.set_plan(DEMO_WORKSPACE_ID)["subscription"] == "PRO_2021"


def test_expenses_off_the_plan_read_as_a_permission_error() -> None:
    # The one recorded answer of a plan without expenses (a Spanish-speaking account).
    error = error_for_response(400, b'{"message":"Sin suscripci\\u00f3n activa"}')
    assert error.type is ErrorType.PERMISSION
