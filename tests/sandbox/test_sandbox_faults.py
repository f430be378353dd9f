"""Fault injection and rate limits: what the client sees, and whether the write happened.

Tests that build their own clients check every body as the `connect` fixture does; the ones
whose fault leaves no response (drop, timeout) have no body to check."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from clockify_actions.sandbox import (
    DEMO_API_KEY,
    DEMO_WORKSPACE_ID,
    FAULTS_ENV_VAR,
    FOREIGN_WORKSPACE_ID,
    OTHER_API_KEY,
    SECOND_WORKSPACE_ID,
    Fault,
    Sandbox,
)
from clockify_actions.sandbox.faults import FaultWhen

from .sandbox_testkit import ClientFactory, SpecChecker, checked_client

WS = f"/workspaces/{DEMO_WORKSPACE_ID}"
PROJECTS = "/workspaces/*/projects"


def create(client: httpx.Client, name: str = "Apollo") -> httpx.Response:
    return client.post(f"{WS}/projects", json={"name": name})


def stored(sandbox: Sandbox, name: str = "Apollo") -> int:
    return sum(project["name"] == name for project in sandbox.projects(DEMO_WORKSPACE_ID))


@pytest.mark.parametrize(("when", "written"), [("before", 0), ("after", 1)])
def test_status_fault_writes_only_after(
    api: httpx.Client, sandbox: Sandbox, when: FaultWhen, written: int
) -> None:
    sandbox.add_fault(action="status", status=500, when=when, method="POST", path=PROJECTS)
    response = create(api)
    assert response.status_code == 500
    assert response.json() == {"message": "Internal Server Error", "code": 500}
    assert stored(sandbox) == written
    # The rule was for one request only.
    assert create(api, "Zeus").status_code == 201


def test_429_carries_retry_after_only_when_asked(api: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.add_fault(action="status", status=429, when="before", retry_after=3)
    sandbox.add_fault(action="status", status=429, when="before")
    first, second = api.get("/user"), api.get("/user")
    assert (first.status_code, first.headers["Retry-After"]) == (429, "3")
    assert first.json() == {"message": "Too many requests", "code": 429}
    assert second.status_code == 429 and "Retry-After" not in second.headers


def test_502_is_an_html_page_and_503_can_be_empty(api: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.add_fault(action="status", status=502, when="before")
    sandbox.add_fault(action="status", status=503, when="before", body="empty")
    gateway = api.get("/user")
    assert gateway.status_code == 502
    assert gateway.headers["Content-Type"] == "text/html"
    assert "502 Bad Gateway" in gateway.text
    unavailable = api.get("/user")
    assert (unavailable.status_code, unavailable.content) == (503, b"")


@pytest.mark.parametrize(("when", "written"), [("before", 0), ("after", 1)])
def test_truncated_body_is_not_json(
    api: httpx.Client, sandbox: Sandbox, when: FaultWhen, written: int
) -> None:
    sandbox.add_fault(action="truncate", when=when, path=PROJECTS)
    response = create(api)
    assert response.status_code == (500 if when == "before" else 201)
    with pytest.raises(ValueError):
        response.json()
    assert stored(sandbox) == written


def test_delay_slows_the_answer(api: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.add_fault(action="delay", seconds=0.3, when="before")
    began = time.monotonic()
    assert create(api).status_code == 201
    assert time.monotonic() - began >= 0.3
    assert stored(sandbox) == 1


@pytest.mark.parametrize(("when", "written"), [("before", 0), ("after", 1)])
def test_in_process_drop_raises_as_a_socket_would(
    sandbox: Sandbox, when: FaultWhen, written: int
) -> None:
    client = httpx.Client(
        transport=sandbox.transport(),
        base_url="https://api.clockify.me/api/v1",
        headers={"X-Api-Key": DEMO_API_KEY},
    )
    sandbox.add_fault(action="drop", when=when, method="POST")
    expected = httpx.ConnectError if when == "before" else httpx.RemoteProtocolError
    with pytest.raises(expected):
        create(client)
    assert stored(sandbox) == written


@pytest.mark.parametrize(("when", "written"), [("before", 0), ("after", 1)])
def test_in_process_timeout_raises_read_timeout_at_once(
    sandbox: Sandbox, when: FaultWhen, written: int
) -> None:
    client = httpx.Client(
        transport=sandbox.transport(),
        base_url="http://127.0.0.1:9/api/v1",
        headers={"X-Api-Key": DEMO_API_KEY},
    )
    sandbox.add_fault(action="timeout", when=when, method="POST", path=PROJECTS)
    began = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        create(client)
    assert time.monotonic() - began < 1
    assert stored(sandbox) == written


@pytest.mark.parametrize(("when", "written"), [("before", 0), ("after", 1)])
def test_http_drop_closes_the_socket(
    sandbox: Sandbox, spec_checker: SpecChecker | None, when: FaultWhen, written: int
) -> None:
    with (
        sandbox.serve() as server,
        checked_client(spec_checker, headers={"X-Api-Key": DEMO_API_KEY}) as client,
    ):
        sandbox.add_fault(action="drop", when=when, method="POST")
        with pytest.raises(httpx.RemoteProtocolError):
            client.post(f"{server.base_url}{WS}/projects", json={"name": "Apollo"})
        assert stored(sandbox) == written
        assert client.get(f"{server.base_url}/user").status_code == 200


@pytest.mark.parametrize(("when", "written"), [("before", 0), ("after", 1)])
def test_http_timeout_outlasts_the_client(sandbox: Sandbox, when: FaultWhen, written: int) -> None:
    with sandbox.serve() as server, httpx.Client(headers={"X-Api-Key": DEMO_API_KEY}) as client:
        sandbox.add_fault(action="timeout", seconds=2, when=when, method="POST")
        with pytest.raises(httpx.ReadTimeout):
            client.post(f"{server.base_url}{WS}/projects", json={"name": "Apollo"}, timeout=0.3)
        assert stored(sandbox) == written


def test_rules_match_method_and_path_globs(api: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.add_fault(action="status", status=503, when="before", method="get", path=PROJECTS)
    assert create(api).status_code == 201  # another method
    assert api.get(f"{WS}/projects/x").status_code == 400  # `*` is one segment only
    assert api.get(f"{WS}/projects/").status_code == 503  # trailing slash, same path
    sandbox.add_fault(action="status", status=503, when="before", path="/workspaces/**", times=2)
    assert [api.get(f"{WS}/clients").status_code for _ in range(3)] == [503, 503, 200]


def test_rule_without_times_acts_on_every_request(api: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.add_fault(action="status", status=500, when="before", path="/user", times=None)
    assert [api.get("/user").status_code for _ in range(3)] == [500, 500, 500]
    assert sandbox.clear_faults() == 1
    assert api.get("/user").status_code == 200


def test_stored_rules_are_shared_and_counted_down(
    tmp_path: Path, spec_checker: SpecChecker | None
) -> None:
    with Sandbox.open(tmp_path / "db") as first, Sandbox.open(tmp_path / "db") as second:
        first.add_fault(action="status", status=500, when="after", path="/user", times=2)
        assert second.faults() == [
            Fault(action="status", status=500, when="after", path="/user", times=2)
        ]
        client = checked_client(
            spec_checker,
            transport=second.transport(),
            base_url="http://x/api/v1",
            headers={"X-Api-Key": DEMO_API_KEY},
        )
        client.get("/user")
        assert [fault.times for fault in first.faults()] == [1]
        client.get("/user")
        assert first.faults() == []


def test_faults_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spec_checker: SpecChecker | None
) -> None:
    rules = [{"action": "status", "status": 503, "when": "before", "path": "/user", "times": 1}]
    monkeypatch.setenv(FAULTS_ENV_VAR, json.dumps(rules))
    with Sandbox.open(tmp_path / "db") as sandbox:
        client = checked_client(
            spec_checker,
            transport=sandbox.transport(),
            base_url="http://x/api/v1",
            headers={"X-Api-Key": DEMO_API_KEY},
        )
        assert [client.get("/user").status_code for _ in range(2)] == [503, 200]
        assert sandbox.faults() == []  # environment rules are not stored


@pytest.mark.parametrize(
    "rule",
    [
        {"action": "status", "when": "before"},
        {"action": "status", "status": 503, "when": "during"},
        {"action": "explode", "when": "before"},
        {"action": "drop", "when": "after", "status": 500},
        {"action": "delay", "when": "after"},
        {"action": "drop", "when": "after", "times": 0},
        {"action": "drop", "when": "after", "colour": "red"},
    ],
)
def test_invalid_rules_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rule: dict[str, object]
) -> None:
    monkeypatch.setenv(FAULTS_ENV_VAR, json.dumps([rule]))
    with pytest.raises(ValueError, match="invalid fault rule"):
        Sandbox.open(tmp_path / "db")


def test_faulted_requests_are_logged(api: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.add_fault(action="status", status=503, when="before", path="/user")
    api.get("/user")
    assert [(r.status, r.fault) for r in sandbox.request_log()] == [(503, "status")]


# --- rate limits -------------------------------------------------------------------------------


def test_paid_limit_is_50_a_second_per_workspace(connect: ClientFactory, sandbox: Sandbox) -> None:
    api = connect()
    moment = datetime(2025, 1, 1, 9, tzinfo=UTC)
    sandbox.set_time(moment)
    sandbox.configure(rate_limit="paid")
    statuses = [api.get(f"{WS}/clients").status_code for _ in range(51)]
    assert statuses == [200] * 50 + [429]
    refused = api.get(f"{WS}/projects")
    assert refused.json() == {"message": "Too many requests", "code": 429}
    assert "Retry-After" not in refused.headers
    assert api.get(f"/workspaces/{SECOND_WORKSPACE_ID}/clients").status_code == 200
    sandbox.set_time(moment + timedelta(seconds=1))
    assert api.get(f"{WS}/clients").status_code == 200


def test_free_limit_is_30_an_hour(connect: ClientFactory, sandbox: Sandbox) -> None:
    api = connect()
    moment = datetime(2025, 1, 1, 9, tzinfo=UTC)
    sandbox.set_time(moment)
    sandbox.configure(rate_limit="free")
    # Requests without a workspace in the path count against the user's active workspace.
    statuses = [api.get("/user").status_code for _ in range(30)]
    assert statuses == [200] * 30
    assert api.get(f"{WS}/projects").status_code == 429
    sandbox.set_time(moment + timedelta(minutes=59))
    assert api.get("/user").status_code == 429
    sandbox.set_time(moment + timedelta(hours=1))
    assert api.get("/user").status_code == 200
    sandbox.configure(rate_limit="off")
    assert all(api.get("/user").status_code == 200 for _ in range(40))


def test_a_non_members_requests_spend_no_quota(connect: ClientFactory, sandbox: Sandbox) -> None:
    sandbox.set_time(datetime(2025, 1, 1, 9, tzinfo=UTC))
    sandbox.configure(rate_limit="free")
    foreign = f"/workspaces/{FOREIGN_WORKSPACE_ID}/projects"
    demo = connect()
    assert [demo.get(foreign).status_code for _ in range(31)] == [403] * 31
    # Neither the owner's workspace nor the caller's own paid for them.
    assert connect(api_key=OTHER_API_KEY).get(foreign).status_code == 200
    assert [demo.get(f"{WS}/clients").status_code for _ in range(31)] == [200] * 30 + [429]


def test_unauthenticated_and_unrouted_requests_spend_no_quota(
    connect: ClientFactory, sandbox: Sandbox
) -> None:
    sandbox.set_time(datetime(2025, 1, 1, 9, tzinfo=UTC))
    sandbox.configure(rate_limit="free")
    api = connect()
    for _ in range(30):
        assert connect(api_key="no-such-key").get(f"{WS}/clients").status_code == 401
        assert api.get(f"{WS}/no-such-route").status_code == 404
        assert api.delete(f"{WS}/clients").status_code == 405
    assert api.get(f"{WS}/clients").status_code == 200
