"""Every route of Clockify's spec under the resources the sandbox emulates is served: walked
from tests/data/clockify-openapi.json (which scripts/extract_openapi.py refuses to write
without every route of those resources), none answers "not emulated" (501), Spring's 404 or
a 405. What each answers is the business of the resource's own tests."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from clockify_actions.sandbox import (
    DEMO_API_KEY,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    DESIGN_TASK_ID,
    SAMPLE_PROJECT_ID,
    Sandbox,
)

from .sandbox_testkit import SPEC_PATH

# Path parameters filled with the seeded records they name; any other id is one the
# workspace does not have, which a served route refuses in its own way (never 501).
_IDS = {
    "workspaceId": DEMO_WORKSPACE_ID,
    "projectId": SAMPLE_PROJECT_ID,
    "userId": DEMO_USER_ID,
    "taskId": DESIGN_TASK_ID,
}
_OTHER_ID = "64b7c0de5eed00000000ffff"
_SPEC = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
_OPERATIONS = [
    (method.upper(), route) for route, operations in _SPEC["paths"].items() for method in operations
]


def _url(route: str) -> str:
    path = re.sub(r"\{(\w+)\}", lambda m: _IDS.get(m[1], _OTHER_ID), route)
    # The reports routes live on the reports host (docs/clockify-api.md §24.1).
    host = (
        "https://reports.api.clockify.me" if "/reports/" in route else "https://api.clockify.me/api"
    )
    return host + path


@pytest.fixture
def api(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(transport=sandbox.transport(), headers={"X-Api-Key": DEMO_API_KEY}) as c:
        yield c


def test_the_walk_covers_every_emulated_resource() -> None:
    routes = {route for _, route in _OPERATIONS}
    for part in ("/tags/{id}", "/clients/{id}", "/tasks/{taskId}", "/webhooks/{webhookId}/logs"):
        assert any(route.endswith(part) for route in routes), part
    assert any(route.endswith("/reports/weekly") for route in routes)
    assert len(_OPERATIONS) >= 70


@pytest.mark.parametrize(("method", "route"), _OPERATIONS)
def test_every_spec_route_of_an_emulated_resource_is_served(
    api: httpx.Client, method: str, route: str
) -> None:
    body: Any = [] if method == "PUT" and route.endswith("/time-entries") else {}
    answer = api.request(method, _url(route), json=body if method != "GET" else None)
    shown: Any = answer.json() if answer.content else None
    assert answer.status_code not in (405, 501), (answer.status_code, shown)
    no_route = answer.status_code == 404 and "No static resource" in str(shown)
    assert not no_route, shown


# §26: the largest page each list serves; one more is refused, never clamped.
_PAGE_LIMITS = [
    ("/workspaces/{workspaceId}/projects", 5000),
    ("/workspaces/{workspaceId}/clients", 5000),
    ("/workspaces/{workspaceId}/tags", 5000),
    ("/workspaces/{workspaceId}/projects/{projectId}/tasks", 5000),
    ("/workspaces/{workspaceId}/users", 5000),
    ("/workspaces/{workspaceId}/users/{userId}/managers", 5000),
    ("/workspaces/{workspaceId}/user/{userId}/time-entries", 5000),
    ("/workspaces/{workspaceId}/time-entries/status/in-progress", 1000),
]


@pytest.mark.parametrize(("route", "largest"), _PAGE_LIMITS)
def test_each_list_refuses_a_page_past_its_limit(
    api: httpx.Client, route: str, largest: int
) -> None:
    url = _url(f"/v1{route}")
    assert api.get(url, params={"page-size": largest}).status_code == 200
    refused = api.get(url, params={"page-size": largest + 1})
    assert (refused.status_code, refused.json()) == (
        400,
        {"message": f"Page size cannot be larger than {largest:,}.", "code": 501},
    )
