"""Every failure of a writing action says what became of its write, including the failures
the client never saw: an invalid input, a configuration error, a bug in a handler."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from typing import Any

import httpx
import pytest

from clockify_actions import Pack
from clockify_actions.adapters.worker import serve
from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.users.models import User
from clockify_actions.runtime.execution import ClientPool
from conftest import API_KEY, FAST, Run
from fake_clockify import WS, FakeClockify, project

NOT_APPLIED_BEFORE_SENDING = {"attempts": 0, "outcome": "not_applied"}


def _error(result: dict[str, Any]) -> dict[str, Any]:
    assert result["status"] == "error", result
    error: dict[str, Any] = result["error"]
    return error


def test_an_invalid_input_to_a_writing_action_says_its_write_was_not_applied(
    run: Run, clockify: FakeClockify
) -> None:
    error = _error(run("create_project", {"workspace_id": WS, "name": "x"}))
    assert error["type"] == "validation_error"
    assert error["details"][-1] == NOT_APPLIED_BEFORE_SENDING
    assert [d["path"] for d in error["details"][:-1]] == ["/name"]
    assert clockify.sent == []


def test_an_invalid_input_to_a_read_only_action_has_no_write_to_report(run: Run) -> None:
    error = _error(run("list_projects", {"workspace_id": "not-an-id"}))
    assert error["type"] == "validation_error"
    assert all("outcome" not in detail for detail in error["details"])


def test_a_configuration_error_of_a_writing_action_says_its_write_was_not_applied(
    run: Run, clockify: FakeClockify
) -> None:
    error = _error(
        run(
            "create_project",
            {"workspace_id": WS, "name": "New Project"},
            base_url="https://alice:secret@example.com/api/v1",
        )
    )
    assert error["type"] == "config_error"
    assert error["details"] == [NOT_APPLIED_BEFORE_SENDING]
    assert clockify.sent == []


def test_a_handlers_own_refusal_before_writing_says_not_applied(
    run: Run, clockify: FakeClockify
) -> None:
    params = {
        "workspace_id": WS,
        "project_id": "6a2b3c4d5e6f7a8b9c0d1e2f",
        "start": "2026-01-28T10:00:00Z",
        "end": "2026-01-28T09:00:00Z",
    }
    error = _error(run("create_time_entry", params))
    assert error["type"] == "validation_error"
    assert error["details"] == [
        {"path": "/end", "message": error["details"][0]["message"]},
        NOT_APPLIED_BEFORE_SENDING,
    ]
    assert clockify.sent == []


def _broken_handler(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    raise KeyError("a bug before any request")


def test_a_bug_before_any_write_is_an_internal_error_whose_write_was_not_applied(
    pack: Pack, run: Run, clockify: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pack.actions["create_project"], "handler", _broken_handler)
    error = _error(run("create_project", {"workspace_id": WS, "name": "New Project"}))
    assert error["type"] == "internal_error"
    assert error["details"] == [NOT_APPLIED_BEFORE_SENDING]
    assert clockify.sent == []


def test_a_bug_after_a_write_was_sent_says_the_write_is_unknown_and_not_to_retry(
    pack: Pack,
) -> None:
    sent: list[str] = []

    def crash_after_sending(request: httpx.Request) -> httpx.Response:
        sent.append(request.method)
        raise RuntimeError("a bug while the answer was read")

    result = pack.run(
        "create_project",
        {"workspace_id": WS, "name": "New Project"},
        api_key=API_KEY,
        transport=httpx.MockTransport(crash_after_sending),
        settings=FAST,
    )
    error = _error(result)
    assert sent == ["POST"]
    assert error["type"] == "internal_error"
    assert error["details"] == [{"attempts": 1, "outcome": "unknown"}]
    assert error["retryable"] is False
    assert "check Clockify" in error["message"]


def test_a_write_in_an_earlier_run_on_a_kept_client_does_not_make_a_later_failure_unknown(
    pack: Pack, clockify: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    clockify.answer("POST", f"/workspaces/{WS}/projects", 201, project("New Project"))
    clients = ClientPool()
    params = {"workspace_id": WS, "name": "New Project"}
    options: dict[str, Any] = {
        "api_key": API_KEY,
        "transport": clockify.transport,
        "settings": FAST,
        "clients": clients,
    }
    try:
        assert pack.run("create_project", params, **options)["status"] == "success"
        monkeypatch.setattr(pack.actions["create_project"], "handler", _broken_handler)
        error = _error(pack.run("create_project", params, **options))
    finally:
        clients.close()
    assert error["details"] == [NOT_APPLIED_BEFORE_SENDING]
    assert len(clockify.sent) == 1


def test_a_failed_read_before_the_write_keeps_its_record_and_says_not_applied(
    pack: Pack, monkeypatch: pytest.MonkeyPatch
) -> None:
    clockify = FakeClockify().answer_everything(404, {"message": "no such user", "code": 404})

    def read_then_write(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
        client.get("/user", User)
        raise AssertionError("unreachable: the read failed")

    monkeypatch.setattr(pack.actions["create_project"], "handler", read_then_write)
    result = pack.run(
        "create_project",
        {"workspace_id": WS, "name": "New Project"},
        api_key=API_KEY,
        transport=clockify.transport,
        settings=FAST,
    )
    error = _error(result)
    assert error["type"] == "not_found"
    assert error["details"] == [{"attempts": 1, "outcome": "not_applied"}]


def _cli(*args: str) -> tuple[int, dict[str, Any]]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLOCKIFY_")}
    result = subprocess.run(
        [sys.executable, "-m", "clockify_actions", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env={**environment, "CLOCKIFY_API_KEY": API_KEY},
        timeout=60,
    )
    document: dict[str, Any] = json.loads(result.stdout)
    return result.returncode, document


@pytest.mark.parametrize(("name", "writes"), [("create_project", True), ("list_projects", False)])
@pytest.mark.parametrize(
    ("mistake", "kind"),
    [
        (["--api-key-env", "CLOCKIFY_UNSET_API_KEY"], "config_error"),
        (["--param", "archived=maybe", "--param", "is_private=maybe"], "validation_error"),
    ],
    ids=["unset-key-variable", "unreadable-param"],
)
def test_a_run_refused_by_the_command_line_says_whether_a_write_was_applied(
    name: str, writes: bool, mistake: list[str], kind: str
) -> None:
    code, document = _cli("run", name, "--param", f"workspace_id={WS}", *mistake)
    error = _error(document)
    assert (code, error["type"]) == (2, kind)
    assert error["details"] == ([NOT_APPLIED_BEFORE_SENDING] if writes else [])


def test_a_serve_line_refused_before_its_action_runs_says_whether_a_write_was_applied(
    pack: Pack, clockify: FakeClockify
) -> None:
    elsewhere = {"base_url": "https://elsewhere.example/api/v1"}
    lines = [
        {"id": 1, "action": "create_project", "input": {}, "connection": elsewhere},
        {"id": 2, "action": "list_workspaces", "connection": elsewhere},
        {"id": 3, "action": ["create_project"]},
    ]
    out = io.StringIO()
    stdin = io.BytesIO(b"".join(json.dumps(line).encode() + b"\n" for line in lines))
    serve(pack, stdin, out, {"transport": clockify.transport, "api_key": API_KEY})
    errors = [_error(json.loads(line)["envelope"]) for line in out.getvalue().splitlines()]
    assert [error["type"] for error in errors] == ["validation_error"] * 3
    assert [error["details"] for error in errors] == [[NOT_APPLIED_BEFORE_SENDING], [], []]
    assert clockify.sent == []
