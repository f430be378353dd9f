"""A project's templates, estimates and rates held to what Clockify answers (Clockify's API
facts, part 3, §32.6 to §32.8): what the sandbox took before and Clockify refuses, what it
refused before and Clockify takes, and the list's template filter."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from clockify_actions.sandbox import (
    DEMO_API_KEY,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    SAMPLE_PROJECT_ID,
    Sandbox,
)
from clockify_actions.sandbox._resources import resources

WS = f"/workspaces/{DEMO_WORKSPACE_ID}"
PROJECT = f"{WS}/projects/{SAMPLE_PROJECT_ID}"


@pytest.fixture
def api(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url="https://api.clockify.me/api/v1",
        transport=sandbox.transport(),
        headers={"X-Api-Key": DEMO_API_KEY},
    ) as client:
        yield client


def _refusal(answer: httpx.Response) -> tuple[int, int]:
    body: dict[str, Any] = answer.json()
    return answer.status_code, body["code"]


def _names(answer: httpx.Response) -> list[str]:
    assert answer.status_code == 200, answer.text
    return [project["name"] for project in answer.json()]


def test_is_template_lists_the_templates_or_the_others(api: httpx.Client) -> None:
    every = _names(api.get(f"{WS}/projects"))
    assert api.patch(f"{PROJECT}/template", json={"isTemplate": True}).status_code == 200
    assert _names(api.get(f"{WS}/projects", params={"is-template": "true"})) == ["Sample Project"]
    others = _names(api.get(f"{WS}/projects", params={"is-template": "false"}))
    assert "Sample Project" not in others and len(others) == len(every) - 1
    assert _names(api.get(f"{WS}/projects")) == every  # omitted: both (live UNKNOWN)
    refused = api.get(f"{WS}/projects", params={"is-template": "maybe"})
    assert refused.status_code == 400


@pytest.mark.parametrize(
    "estimate",
    [
        {"timeEstimate": {"estimate": "PT8H", "type": "EXACT"}},
        {"timeEstimate": {"estimate": "PT8H", "resetOption": "DAILY"}},
        {"budgetEstimate": {"estimate": 500000, "type": "FIXED"}},
        {"estimateReset": {"interval": "HOURLY"}},
    ],
)
def test_an_estimate_outside_clockifys_enums_is_refused_and_nothing_changes(
    api: httpx.Client, estimate: dict[str, Any]
) -> None:
    before = api.get(PROJECT).json()
    assert _refusal(api.patch(f"{PROJECT}/estimate", json=estimate)) == (400, 3002)
    assert api.get(PROJECT).json() == before


def test_a_workspace_hourly_rate_without_a_currency_is_taken(api: httpx.Client) -> None:
    # `{amount: 0}` alone was answered 200 live, though the spec requires a currency.
    answer = api.put(f"{WS}/hourly-rate", json={"amount": 0})
    assert answer.status_code == 200, answer.text
    assert answer.json()["hourlyRate"] == {"amount": 0, "currency": "USD"}


@pytest.mark.parametrize(
    "path",
    [f"{WS}/users/{DEMO_USER_ID}/hourly-rate", f"{PROJECT}/users/{DEMO_USER_ID}/cost-rate"],
)
def test_a_rate_since_that_is_no_date_time_is_refused(api: httpx.Client, path: str) -> None:
    assert api.put(path, json={"amount": 100, "since": "2026-01-01T00:00:00Z"}).status_code == 200
    assert api.put(path, json={"amount": 100, "since": "last monday"}).status_code == 400


def test_a_negative_rate_in_a_project_body_is_refused(api: httpx.Client) -> None:
    body = {"name": "Sample Project", "hourlyRate": {"amount": -1}}
    assert _refusal(api.put(PROJECT, json=body)) == (400, 501)
    assert api.get(PROJECT).json()["hourlyRate"]["amount"] == 5000


def test_a_project_has_no_rate_route_of_its_own(api: httpx.Client) -> None:
    for rate in ("hourly-rate", "cost-rate"):
        answer = api.put(f"{PROJECT}/{rate}", json={"amount": 100})
        assert _refusal(answer) == (404, 3000)
        assert answer.json()["message"].startswith("No static resource")


def test_templates_estimates_and_cost_rates_name_their_paid_module() -> None:
    features = {
        route.path: route.feature for resource in resources().values() for route in resource.routes
    }
    assert features["/workspaces/{workspace}/projects/from-template"] == "PROJECT_TEMPLATES"
    assert features["/workspaces/{workspace}/projects/{project}/template"] == "PROJECT_TEMPLATES"
    assert features["/workspaces/{workspace}/projects/{project}/estimate"] == "PROJECT_ESTIMATE"
    assert features["/workspaces/{workspace}/cost-rate"] == "LABOR_COST"
    assert features["/workspaces/{workspace}/hourly-rate"] is None
