"""Webhooks end to end on the sandbox: register one, act, receive the delivery on a real
loopback server, verify it, and get the same event the polling trigger returns; and
every way a delivery is refused."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from clockify_actions.adapters.webhooks import parse_request, verify
from clockify_actions.errors import ActionError
from clockify_actions.runtime import Pack
from clockify_actions.sandbox import DEMO_API_KEY, DEMO_WORKSPACE_ID, Sandbox, _delivery
from loopback import ROGUE_ADDRESS, rogue_resolver

START = datetime(2026, 1, 28, 9, 0, tzinfo=UTC)


class Received:
    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.arrived = threading.Event()
        self.statuses: list[int] = []  # answered in turn; 200 once they run out


@contextmanager
def receiver() -> Iterator[tuple[str, Received]]:
    received = Received()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            received.requests.append((dict(self.headers), body))
            self.send_response(received.statuses.pop(0) if received.statuses else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()
            received.arrived.set()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/clockify", received
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as opened:
        opened.set_time(START)
        yield opened


def _run(pack: Pack, sandbox: Sandbox, name: str, params: dict[str, Any]) -> dict[str, Any]:
    result = pack.run(
        name,
        params,
        api_key=DEMO_API_KEY,
        base_url="http://sandbox.localhost/api/v1",
        transport=sandbox.transport(),
        clock=sandbox.now,
    )
    assert result["status"] == "success", result
    return result


def _poll(pack: Pack, sandbox: Sandbox, name: str, state: Any) -> dict[str, Any]:
    result = pack.poll(
        name,
        {"workspace_id": DEMO_WORKSPACE_ID},
        state,
        api_key=DEMO_API_KEY,
        base_url="http://sandbox.localhost/api/v1",
        transport=sandbox.transport(),
        clock=sandbox.now,
    )
    assert result["status"] == "success", result
    return result


def _register(pack: Pack, sandbox: Sandbox, url: str, event: str) -> str:
    params = {"workspace_id": DEMO_WORKSPACE_ID, "name": "Test hook", "url": url, "event": event}
    token: str = _run(pack, sandbox, "create_webhook", params)["webhook"]["auth_token"]
    assert len(token) == 32
    return token


@pytest.mark.parametrize(
    ("event", "trigger", "act"),
    [
        ("NEW_TIMER_STARTED", "timer_started", "start"),
        ("TIMER_STOPPED", "timer_stopped", "stop"),
        ("NEW_TIME_ENTRY", "new_time_entry", "entry"),
        ("NEW_PROJECT", "new_project", "project"),
    ],
)
def test_register_act_receive_verify_gives_the_polling_triggers_event(
    pack: Pack, sandbox: Sandbox, event: str, trigger: str, act: str
) -> None:
    with receiver() as (url, received):
        token = _register(pack, sandbox, url, event)
        if act == "stop":
            _run(pack, sandbox, "start_timer", {"workspace_id": DEMO_WORKSPACE_ID})
        state = _poll(pack, sandbox, trigger, None)["state"]
        sandbox.set_time(START.replace(minute=5))
        if act in ("start", "stop"):
            name = "start_timer" if act == "start" else "stop_timer"
            params = {"workspace_id": DEMO_WORKSPACE_ID}
            if act == "stop":
                params["user_id"] = "64b7c0de5eed000000000a01"
            _run(pack, sandbox, name, params)
        elif act == "entry":
            _run(
                pack,
                sandbox,
                "create_time_entry",
                {
                    "workspace_id": DEMO_WORKSPACE_ID,
                    "start": "2026-01-27T09:00:00Z",
                    "end": "2026-01-27T10:30:00Z",
                    "description": "Logged late",
                    "project_id": "64b7c0de5eed000000000d01",
                },
            )
        else:
            _run(
                pack,
                sandbox,
                "create_project",
                {"workspace_id": DEMO_WORKSPACE_ID, "name": "Hooked"},
            )
        assert received.arrived.wait(10), "no delivery arrived"
        sandbox.wait_for_deliveries(10)
    (headers, body) = received.requests[0]
    assert headers["Clockify-Signature"] == token
    assert headers["Clockify-Webhook-Event-Type"] == event
    assert headers["Content-Type"] == "application/json"
    delivered = verify(headers, body, token)
    polled = _poll(pack, sandbox, trigger, state)["events"]
    assert delivered == {"trigger": trigger, "webhook_event": event, "events": polled}
    assert not pack.triggers[trigger].event_errors(delivered["events"][0])
    if event.endswith("TIME_ENTRY"):
        entry = json.loads(body)
        # The §22.2 shape: zone keys in timeInterval, no taskId or tagIds, embedded parts.
        assert {"timeZone", "offsetStart", "zonedStart"} <= set(entry["timeInterval"])
        assert "taskId" not in entry and "tagIds" not in entry and entry["tags"] == []
    assert [d["status"] for d in sandbox.webhook_deliveries()] == ["SUCCEEDED"]


def _delivery_request(
    token: str = "t" * 32, body: bytes = b'{"id": "abc"}'
) -> tuple[dict[str, str], bytes]:
    headers = {
        "Clockify-Signature": token,
        "Clockify-Webhook-Event-Type": "NEW_CLIENT",
        "Content-Type": "application/json",
    }
    return headers, body


@pytest.mark.parametrize(
    "signature",
    [
        "u" * 32,  # a wrong token
        "t" * 31 + "u",  # tampered in its last character
        "t" * 31,  # cut short
        "",
    ],
)
def test_a_delivery_with_the_wrong_signature_is_refused_unread(signature: str) -> None:
    headers, _ = _delivery_request(signature)
    with pytest.raises(ActionError) as refused:
        verify(headers, b"this is not JSON and is never parsed", "t" * 32)
    assert refused.value.type.value == "auth_error"
    assert "refused" in refused.value.message


def test_a_delivery_without_a_signature_is_refused() -> None:
    headers, body = _delivery_request()
    del headers["Clockify-Signature"]
    with pytest.raises(ActionError, match="no Clockify-Signature header") as refused:
        verify(headers, body, "t" * 32)
    assert refused.value.type.value == "auth_error"


def test_an_add_on_jwt_is_refused_with_the_reason() -> None:
    jwt = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJjbG9ja2lmeSJ9.c2lnbmF0dXJl"
    headers, body = _delivery_request(jwt)
    with pytest.raises(ActionError, match="add-on's signed token"):
        verify(headers, body, "t" * 32)


def test_header_names_are_read_in_any_case_and_the_event_as_its_trigger_has_it() -> None:
    headers = {
        "clockify-signature": "t" * 32,
        "CLOCKIFY-WEBHOOK-EVENT-TYPE": "NEW_CLIENT",
    }
    body = json.dumps({"id": "c1", "name": "Globex", "workspaceId": "w", "archived": False})
    received = verify(headers, body.encode(), "t" * 32)
    assert received["events"] == [
        {
            "event_id": "NEW_CLIENT:c1",
            "id": "c1",
            "name": "Globex",
            "workspace_id": "w",
            "archived": False,
        }
    ]


def test_an_event_no_trigger_reports_is_named() -> None:
    headers, body = _delivery_request()
    headers["Clockify-Webhook-Event-Type"] = "USER_UPDATED"
    with pytest.raises(ActionError, match="USER_UPDATED") as refused:
        verify(headers, body, "t" * 32)
    assert refused.value.type.value == "validation_error"


def test_the_real_new_time_entry_body_makes_a_new_time_entry_event(pack: Pack) -> None:
    # The captured delivery of docs/clockify-api.md §22.2, as published.
    body = {
        "id": "68453d0cf0c88d522704ab76",
        "description": "Test",
        "userId": "684446430300f917a02c198a",
        "billable": True,
        "projectId": "68444b15551a9934b5034263",
        "timeInterval": {
            "start": "2025-06-16T07:05:00Z",
            "end": "2025-06-16T18:53:00Z",
            "duration": "PT11H48M",
            "timeZone": "Asia/Calcutta",
            "offsetStart": 19800,
            "offsetEnd": 19800,
            "zonedStart": "2025-06-16T12:35:00",
            "zonedEnd": "2025-06-17T00:23:00",
        },
        "workspaceId": "684446430300f917a02c198b",
        "isLocked": False,
        "hourlyRate": None,
        "costRate": None,
        "customFieldValues": [],
        "type": "REGULAR",
        "kioskId": None,
        "approvalStatus": None,
        "projectCurrency": None,
        "currentlyRunning": False,
        "task": {"name": "test", "status": "ACTIVE", "id": "68444badb7688b61f151284d"},
        "user": {"id": "684446430300f917a02c198a", "name": "johndoe", "status": "ACTIVE"},
        "tags": [{"name": "new", "archived": False, "id": "68452a1b0300f917a02f30bc"}],
    }
    headers = {"Clockify-Signature": "s" * 32, "Clockify-Webhook-Event-Type": "NEW_TIME_ENTRY"}
    (event,) = verify(headers, json.dumps(body).encode(), "s" * 32)["events"]
    assert not pack.triggers["new_time_entry"].event_errors(event)
    assert event["task_id"] == "68444badb7688b61f151284d"
    assert event["tag_ids"] == ["68452a1b0300f917a02f30bc"]
    assert (event["start"], event["end"], event["duration"]) == (
        "2025-06-16T07:05:00Z",
        "2025-06-16T18:53:00Z",
        "PT11H48M",
    )


def test_a_saved_request_is_split_into_headers_and_body() -> None:
    raw = (
        b"POST /clockify HTTP/1.1\r\nHost: example.com\r\nClockify-Signature: abc\r\n"
        b"Content-Length: 4\r\n\r\n{}\r\nextra"
    )
    headers, body = parse_request(raw)
    assert headers["Clockify-Signature"] == "abc" and body == b"{}\r\n"


def test_the_sandbox_never_delivers_to_another_machine(
    pack: Pack, sandbox: Sandbox, network_attempts: list[object]
) -> None:
    _register(pack, sandbox, "https://example.com/clockify", "NEW_CLIENT")
    # A client made through the sandbox's own route, as another Clockify app would.
    with httpx.Client(
        transport=sandbox.transport(),
        base_url="https://api.clockify.me/api/v1",
        headers={"X-Api-Key": DEMO_API_KEY},
    ) as app:
        made = app.post(f"/workspaces/{DEMO_WORKSPACE_ID}/clients", json={"name": "Elsewhere"})
    assert made.status_code == 201
    sandbox.wait_for_deliveries(10)
    (delivery,) = sandbox.webhook_deliveries()
    assert delivery["status"] == "FAILED" and delivery["attempts"] == 0
    assert "only to URLs on this machine" in str(delivery["response"])
    assert network_attempts == []


def test_a_failing_receiver_is_retried_a_bounded_number_of_times(
    pack: Pack, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_delivery, "BACKOFF_SECONDS", (0.0, 0.0))
    with receiver() as (url, received):
        received.statuses = [500, 503, 500, 500]
        _register(pack, sandbox, url, "NEW_PROJECT")
        _run(
            pack, sandbox, "create_project", {"workspace_id": DEMO_WORKSPACE_ID, "name": "Retried"}
        )
        sandbox.wait_for_deliveries(10)
    assert len(received.requests) == _delivery.ATTEMPTS == 3
    (delivery,) = sandbox.webhook_deliveries()
    assert (delivery["status"], delivery["attempts"], delivery["status_code"]) == ("FAILED", 3, 500)


def test_a_refused_request_delivers_nothing(pack: Pack, sandbox: Sandbox) -> None:
    with receiver() as (url, received):
        _register(pack, sandbox, url, "NEW_PROJECT")
        result = pack.run(
            "create_project",
            {"workspace_id": DEMO_WORKSPACE_ID, "name": "Sample Project"},  # taken: refused
            api_key=DEMO_API_KEY,
            base_url="http://sandbox.localhost/api/v1",
            transport=sandbox.transport(),
        )
        assert result["status"] == "error"
        sandbox.wait_for_deliveries(10)
    assert received.requests == [] and sandbox.webhook_deliveries() == []


def test_a_delivery_to_a_localhost_name_goes_to_this_machine_whatever_the_resolver_says(
    pack: Pack, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    with receiver() as (url, received):
        connected = rogue_resolver(monkeypatch)
        named = url.replace("127.0.0.1", "hooks.localhost")
        _register(pack, sandbox, named, "NEW_PROJECT")
        _run(pack, sandbox, "create_project", {"workspace_id": DEMO_WORKSPACE_ID, "name": "Pinned"})
        sandbox.wait_for_deliveries(10)
    assert ROGUE_ADDRESS not in [address[0] for address in connected]
    (delivery,) = sandbox.webhook_deliveries()
    assert delivery["status"] == "SUCCEEDED"
    assert len(received.requests) == 1


PROJECT_BODY = {
    "id": "6979f3385a4db0c10c000003",
    "name": "Website redesign",
    "workspaceId": "64b7c0de5eed000000000b01",
    "archived": False,
    "public": True,
}


def test_a_body_that_does_not_make_the_trigger_s_event_is_a_validation_error() -> None:
    headers = {"Clockify-Signature": "t" * 32, "Clockify-Webhook-Event-Type": "NEW_TIME_ENTRY"}
    with pytest.raises(ActionError, match="does not make a new_time_entry event") as refused:
        verify(headers, json.dumps(PROJECT_BODY).encode(), "t" * 32)
    assert refused.value.type.value == "validation_error"
    assert {"path": "/start", "message": refused.value.details[0]["message"]} in (
        refused.value.details
    )


def test_the_cli_calls_such_a_body_a_validation_error_too() -> None:
    token = "t" * 32
    request = (
        f"Clockify-Signature: {token}\r\nClockify-Webhook-Event-Type: NEW_TIME_ENTRY\r\n\r\n"
        + json.dumps(PROJECT_BODY)
    )
    done = subprocess.run(
        [sys.executable, "-m", "clockify_actions", "webhook", "verify", "--token-env", "HOOK"],
        input=request.encode(),
        capture_output=True,
        env={**os.environ, "HOOK": token},
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert json.loads(done.stdout)["error"]["type"] == "validation_error"


def test_tokens_that_are_not_utf_8_are_never_alike() -> None:
    # Two different undecodable tokens (as os.environ holds bytes that are not UTF-8) were
    # both "?" once replaced, and matched each other.
    headers, body = _delivery_request("\udcfe" * 32)
    with pytest.raises(ActionError) as refused:
        verify(headers, body, "\udcff" * 32)
    assert refused.value.type.value == "config_error"
    headers, body = _delivery_request("\udcfe" * 32)
    with pytest.raises(ActionError) as refused:
        verify(headers, body, "t" * 32)
    assert refused.value.type.value == "auth_error"


def test_the_cli_calls_a_token_that_is_not_utf_8_a_config_error() -> None:
    request = (
        b"Clockify-Signature: \xfe\xfe\r\nClockify-Webhook-Event-Type: NEW_CLIENT\r\n\r\n"
        + b'{"id": "abc"}'
    )
    done = subprocess.run(
        [sys.executable, "-m", "clockify_actions", "webhook", "verify", "--token-env", "HOOK"],
        input=request,
        capture_output=True,
        env={**os.environb, b"HOOK": b"\xff\xff"},
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert json.loads(done.stdout)["error"]["type"] == "config_error"
