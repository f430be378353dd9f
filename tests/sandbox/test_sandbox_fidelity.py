"""Every body the sandbox sends matches Clockify's official OpenAPI spec, less its known
mistakes, and the key lists of live responses (docs/clockify-api.md; the lists in
sandbox_testkit.py). The `connect` fixture checks each response of the suite as it arrives;
this module drives a representative tour and checks the checker."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from clockify_actions.sandbox import (
    CLIENT_PROJECT_ID,
    DEMO_API_KEY,
    DEMO_CLIENT_ID,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    DESIGN_TASK_ID,
    GLOBEX_CLIENT_ID,
    SAMPLE_PROJECT_ID,
    URGENT_TAG_ID,
    Sandbox,
)

from .sandbox_testkit import (
    ANSWERS,
    NULLABLE,
    SPEC_MISTAKES,
    SpecChecker,
    matches,
    response_hook,
)

WS = f"/workspaces/{DEMO_WORKSPACE_ID}"
MINE = f"{WS}/user/{DEMO_USER_ID}/time-entries"


@pytest.fixture
def checker(openapi_spec: dict[str, Any]) -> SpecChecker:
    return SpecChecker(openapi_spec)


def tour(client: httpx.Client) -> None:
    """One request of each kind the sandbox serves, in the states that shape its answer."""
    client.get("/user")
    client.get("/user", params={"include-memberships": "true"})
    client.get("/workspaces")
    client.get(f"{WS}/projects")
    client.get(f"{WS}/projects/{CLIENT_PROJECT_ID}")
    client.post(f"{WS}/projects", json={"name": "Plain"})
    client.post(
        f"{WS}/projects",
        json={
            "name": "Rich",
            "clientId": DEMO_CLIENT_ID,
            "costRate": {"amount": 100},
            "hourlyRate": {"amount": 9000},
            "isPublic": True,
            "color": "#FF5722",
        },
    )
    client.get(f"{WS}/clients")
    client.post(f"{WS}/clients", json={"name": "Bare"})
    finished = client.post(
        f"{WS}/time-entries",
        json={
            "start": "2025-01-01T09:00:00Z",
            "end": "2025-01-01T17:30:05Z",
            "projectId": SAMPLE_PROJECT_ID,
            "tagIds": ["64b7c0de5eed0000000f0001"],
        },
    )
    client.get(f"{WS}/time-entries/{finished.json()['id']}")
    client.post(f"{WS}/time-entries", json={"start": "2025-01-02T09:00:00Z"})
    client.get(f"{WS}/time-entries/status/in-progress")
    client.get(MINE, params={"in-progress": "true"})
    client.post(MINE, json={"start": "2025-01-02T10:00:00Z", "type": "BREAK"})
    client.patch(MINE, json={"end": "2025-01-02T11:00:00Z"})
    client.get(MINE)
    client.get(f"{WS}/tags")
    client.post(f"{WS}/tags", json={"name": "Fresh"})
    client.get(f"{WS}/users")
    client.get(WS)
    client.put(
        f"{WS}/projects/{CLIENT_PROJECT_ID}",
        json={"name": "Website Relaunch", "archived": True, "billable": True, "isPublic": False},
    )
    client.get(f"{WS}/projects/{SAMPLE_PROJECT_ID}/tasks")
    client.post(f"{WS}/projects/{SAMPLE_PROJECT_ID}/tasks", json={"name": "Deploy"})
    one_of_each(client, finished.json()["id"])


def one_of_each(client: httpx.Client, entry_id: str) -> None:
    """The routes that read, replace or delete one record, set rates and edit in bulk."""
    tag = f"{WS}/tags/{URGENT_TAG_ID}"
    client.get(tag)
    client.put(tag, json={"name": "Urgent", "archived": True})
    client.delete(tag)
    client.get(f"{WS}/clients/{DEMO_CLIENT_ID}")
    client.put(f"{WS}/clients/{GLOBEX_CLIENT_ID}", json={"name": "Globex", "archived": True})
    client.delete(f"{WS}/clients/{GLOBEX_CLIENT_ID}")
    task = f"{WS}/projects/{SAMPLE_PROJECT_ID}/tasks/{DESIGN_TASK_ID}"
    client.get(task)
    client.put(f"{task}/hourly-rate", json={"amount": 4500})
    client.put(f"{task}/cost-rate", json={"amount": 1500})
    client.put(task, json={"name": "Design", "status": "DONE"})
    client.delete(task)
    project = f"{WS}/projects/{SAMPLE_PROJECT_ID}"
    client.patch(f"{project}/estimate", json={"timeEstimate": {"estimate": "PT8H"}})
    client.patch(f"{project}/memberships", json={"memberships": [{"userId": DEMO_USER_ID}]})
    client.post(f"{project}/memberships", json={"userIds": [DEMO_USER_ID]})
    client.patch(f"{project}/template", json={"isTemplate": False})
    client.put(f"{project}/users/{DEMO_USER_ID}/hourly-rate", json={"amount": 5000})
    client.put(f"{project}/users/{DEMO_USER_ID}/cost-rate", json={"amount": 2000})
    client.post(
        f"{WS}/projects/from-template",
        json={"templateProjectId": SAMPLE_PROJECT_ID, "name": "Copied"},
    )
    client.delete(f"{WS}/projects/{CLIENT_PROJECT_ID}")  # archived by the tour
    client.put(f"{WS}/hourly-rate", json={"amount": 1000, "currency": "USD"})
    client.put(f"{WS}/cost-rate", json={"amount": 300})
    client.put(f"{WS}/users/{DEMO_USER_ID}/hourly-rate", json={"amount": 1200})
    client.put(f"{WS}/users/{DEMO_USER_ID}/cost-rate", json={"amount": 400})
    client.put(f"{WS}/users/{DEMO_USER_ID}", json={"status": "ACTIVE"})
    client.post("/workspaces", json={"name": "Another"})
    client.get(f"{WS}/users/{DEMO_USER_ID}/managers")
    client.post(f"{WS}/users/info", json={})
    client.put(
        f"{WS}/time-entries/{entry_id}",
        json={"start": "2025-01-01T09:00:00Z", "end": "2025-01-01T10:00:00Z"},
    )
    client.post(f"{MINE}/{entry_id}/duplicate")
    client.put(MINE, json=[{"id": entry_id, "start": "2025-01-01T09:00:00Z"}])
    client.delete(MINE, params={"time-entry-ids": entry_id})


def test_every_route_matches_the_spec(sandbox: Sandbox, checker: SpecChecker) -> None:
    client = httpx.Client(
        transport=sandbox.transport(),
        base_url="https://api.clockify.me/api/v1",
        headers={"X-Api-Key": DEMO_API_KEY},
        event_hooks={"response": [response_hook(checker)]},
    )
    tour(client)
    assert all(r.status in (200, 201) for r in sandbox.request_log())
    workspace = "/v1/workspaces/{workspaceId}"
    assert checker.checked == {
        ("GET", "/v1/user"),
        ("GET", "/v1/workspaces"),
        ("GET", f"{workspace}/projects"),
        ("POST", f"{workspace}/projects"),
        ("GET", f"{workspace}/projects/{{projectId}}"),
        ("GET", f"{workspace}/clients"),
        ("POST", f"{workspace}/clients"),
        ("POST", f"{workspace}/time-entries"),
        ("GET", f"{workspace}/time-entries/{{id}}"),
        ("GET", f"{workspace}/time-entries/status/in-progress"),
        ("GET", f"{workspace}/user/{{userId}}/time-entries"),
        ("POST", f"{workspace}/user/{{userId}}/time-entries"),
        ("PATCH", f"{workspace}/user/{{userId}}/time-entries"),
        ("GET", f"{workspace}/tags"),
        ("POST", f"{workspace}/tags"),
        ("GET", f"{workspace}/users"),
        ("GET", workspace),
        ("PUT", f"{workspace}/projects/{{projectId}}"),
        ("GET", f"{workspace}/projects/{{projectId}}/tasks"),
        ("POST", f"{workspace}/projects/{{projectId}}/tasks"),
        *(
            (method, route)
            for (method, route) in ANSWERS
            if route.endswith(("{id}", "{taskId}", "-rate", "estimate", "template", "info"))
            or route.endswith(("memberships", "managers", "duplicate"))
        ),
        ("PUT", f"{workspace}/users/{{userId}}"),
        ("DELETE", f"{workspace}/projects/{{projectId}}"),
        ("POST", "/v1/workspaces"),
        ("PUT", f"{workspace}/user/{{userId}}/time-entries"),
        ("DELETE", f"{workspace}/user/{{userId}}/time-entries"),
    }
    # An allow-list entry that forgives nothing any more is a mistake of ours: remove it.
    assert checker.forgiven == set(NULLABLE) | set(SPEC_MISTAKES)


@pytest.mark.parametrize(
    ("tamper", "complaint"),
    [
        (lambda p: p.update(isPublic=True), "/isPublic"),
        (lambda p: p.update(colour="#FFFFFF"), "/colour"),
        (lambda p: p.update(archived="no"), "/archived"),
        (lambda p: p.update(duration="3600"), "ISO-8601 duration"),
        (lambda p: p.update(id="5b641568"), "24-hex id"),
        (lambda p: p.update(name=None), "/name"),
        (lambda p: p["hourlyRate"].update(amount="50.00"), "/hourlyRate/amount"),
        # A client's note may be null; a project's may not.
        (lambda p: p.update(note=None), "project/note"),
        (lambda p: p.pop("note"), "project: missing keys ['note']"),
        (lambda p: p["timeEstimate"].pop("active"), "project/timeEstimate: missing keys"),
        (lambda p: p["memberships"][0].pop("targetId"), "project/memberships/*: missing keys"),
    ],
)
def test_the_check_catches_a_wrong_project(
    sandbox: Sandbox, checker: SpecChecker, tamper: Any, complaint: str
) -> None:
    project = copy.deepcopy(sandbox.projects(DEMO_WORKSPACE_ID)[0])
    path = f"/api/v1{WS}/projects"
    assert checker.problems("GET", path, 200, [project]) == []
    tamper(project)
    problems = checker.problems("GET", path, 200, [project])
    assert any(complaint in problem for problem in problems), problems


def test_the_check_catches_fractional_timestamps_and_bad_error_bodies(
    sandbox: Sandbox, checker: SpecChecker
) -> None:
    entry = copy.deepcopy(sandbox.time_entries(DEMO_WORKSPACE_ID)[0])
    entry["timeInterval"]["start"] = "2024-01-15T09:00:00.000Z"
    path = f"/api/v1{WS}/time-entries/{entry['id']}"
    assert any("timeInterval/start" in p for p in checker.problems("GET", path, 200, entry))
    assert checker.problems("GET", path, 400, {"message": "x", "code": "501"})


def _answers(sandbox: Sandbox) -> dict[str, tuple[str, Any]]:
    """One real answer of each kind, by route: its URL and body, fetched without the hook, as
    the tests run the check on them (tampered with) themselves."""
    client = httpx.Client(
        transport=sandbox.transport(),
        base_url="https://api.clockify.me/api/v1",
        headers={"X-Api-Key": DEMO_API_KEY},
    )
    written = client.post(f"{WS}/time-entries", json={"start": "2025-01-01T09:00:00Z"})
    read = client.get(f"{WS}/time-entries/{written.json()['id']}")
    answers = [client.get("/user"), client.get("/workspaces"), client.get(f"{WS}/clients")]
    by_route = {response.url.path.removeprefix("/api/v1"): response for response in answers}
    by_route |= {f"{WS}/time-entries": written, f"{WS}/time-entries/{{id}}": read}
    return {route: (r.url.path, r.json()) for route, r in by_route.items()}


@pytest.mark.parametrize(
    ("method", "route", "status", "where", "key"),
    [
        ("GET", "/user", 200, [], "customFields"),
        ("GET", "/user", 200, ["settings"], "theme"),
        ("GET", "/workspaces", 200, [0], "cakeOrganizationId"),
        ("GET", "/workspaces", 200, [0, "currencies", 0], "isDefault"),
        ("GET", f"{WS}/clients", 200, [0], "ccEmails"),
        ("POST", f"{WS}/time-entries", 201, [], "kioskId"),
        ("POST", f"{WS}/time-entries", 201, ["timeInterval"], "duration"),
        ("GET", f"{WS}/time-entries/{{id}}", 200, [], "costRate"),
        ("GET", f"{WS}/time-entries/{{id}}", 200, ["hourlyRate"], "currency"),
    ],
)
def test_the_check_catches_a_missing_key_of_any_kind(
    sandbox: Sandbox,
    checker: SpecChecker,
    method: str,
    route: str,
    status: int,
    where: list[str | int],
    key: str,
) -> None:
    url, body = _answers(sandbox)[route]
    assert checker.problems(method, url, status, body) == []
    node = body
    for step in where:
        node = node[step]
    del node[key]
    problems = checker.problems(method, url, status, body)
    assert any(f"missing keys ['{key}']" in problem for problem in problems), problems


def test_the_check_tells_the_write_form_of_an_entry_from_the_read_form(
    sandbox: Sandbox, checker: SpecChecker
) -> None:
    answers = _answers(sandbox)
    write_url, written = answers[f"{WS}/time-entries"]
    read_url, read = answers[f"{WS}/time-entries/{{id}}"]
    assert checker.problems("POST", write_url, 201, read)
    problems = checker.problems("GET", read_url, 200, written)
    assert any("missing keys ['costRate', 'hourlyRate']" in p for p in problems), problems


@pytest.mark.parametrize(
    ("pattern", "where", "expected"),
    [
        ("client/note", "client/note", True),
        ("client/note", "project/note", False),
        ("*/memberships/*/costRate", "project/memberships/*/costRate", True),
        ("*/memberships/*/costRate", "project/memberships/costRate", False),
        ("*/memberships/*/costRate", "user/x/memberships/*/costRate", False),
        ("timeEntry/projectId", "timeEntry/timeInterval/projectId", False),
    ],
)
def test_allow_list_patterns_match_one_segment_per_star(
    pattern: str, where: str, expected: bool
) -> None:
    assert matches(pattern, where) is expected
