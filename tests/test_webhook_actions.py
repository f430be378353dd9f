"""The webhook actions on the sandbox: a regenerated token replaces the old one in the
deliveries that follow, an update keeps what it does not name, and the delivery logs
list each attempt with the receiver's answer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clockify_actions.runtime import Pack
from clockify_actions.sandbox import DEMO_API_KEY, DEMO_WORKSPACE_ID, Sandbox
from test_webhooks import START, receiver


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as opened:
        opened.set_time(START)
        yield opened


def _run(pack: Pack, sandbox: Sandbox, name: str, params: dict[str, Any]) -> dict[str, Any]:
    return pack.run(
        name,
        {"workspace_id": DEMO_WORKSPACE_ID, **params},
        api_key=DEMO_API_KEY,
        base_url="http://sandbox.localhost/api/v1",
        transport=sandbox.transport(),
        clock=sandbox.now,
    )


def _hook(pack: Pack, sandbox: Sandbox, url: str) -> dict[str, Any]:
    params = {"name": "Clients", "url": url, "event": "NEW_CLIENT"}
    created = _run(pack, sandbox, "create_webhook", params)
    assert created["status"] == "success", created
    webhook: dict[str, Any] = created["webhook"]
    return webhook


def test_a_regenerated_token_signs_the_next_delivery_and_the_old_one_is_gone(
    pack: Pack, sandbox: Sandbox
) -> None:
    with receiver() as (url, received):
        hook = _hook(pack, sandbox, url)
        renewed = _run(pack, sandbox, "regenerate_webhook_token", {"webhook_id": hook["id"]})
        assert renewed["status"] == "success", renewed
        token = renewed["webhook"]["auth_token"]
        assert len(token) == 32 and token != hook["auth_token"]
        read = _run(pack, sandbox, "get_webhook", {"webhook_id": hook["id"]})
        assert read["webhook"]["auth_token"] == token
        assert _run(pack, sandbox, "create_client", {"name": "Initech Labs"})["status"] == "success"
        assert received.arrived.wait(10), "no delivery arrived"
        sandbox.wait_for_deliveries(10)
    (headers, _body) = received.requests[0]
    assert headers["Clockify-Signature"] == token


def test_an_update_changes_what_it_names_and_keeps_the_rest(pack: Pack, sandbox: Sandbox) -> None:
    hook = _hook(pack, sandbox, "https://example.com/clients")
    changed = _run(pack, sandbox, "update_webhook", {"webhook_id": hook["id"], "event": "NEW_TAG"})
    assert changed["status"] == "success", changed
    assert changed["webhook"] == {**hook, "event": "NEW_TAG"}


def test_an_update_that_names_nothing_sends_nothing(pack: Pack, sandbox: Sandbox) -> None:
    hook = _hook(pack, sandbox, "https://example.com/clients")
    refused = _run(pack, sandbox, "update_webhook", {"webhook_id": hook["id"]})
    assert refused["status"] == "error"
    assert refused["error"]["type"] == "validation_error"
    assert {"attempts": 0, "outcome": "not_applied"} in refused["error"]["details"]


def test_the_logs_list_each_attempt_with_the_receivers_answer(pack: Pack, sandbox: Sandbox) -> None:
    with receiver() as (url, received):
        received.statuses = [500]
        hook = _hook(pack, sandbox, url)
        assert _run(pack, sandbox, "create_client", {"name": "Initech Labs"})["status"] == "success"
        assert received.arrived.wait(10), "no delivery arrived"
        sandbox.wait_for_deliveries(10)
    logs = _run(pack, sandbox, "list_webhook_logs", {"webhook_id": hook["id"]})
    assert logs["status"] == "success", logs
    assert [log["status_code"] for log in logs["logs"]] == [500, 200]
    assert logs["count"] == 2 and logs["more"] is False
    assert "Initech Labs" in (logs["logs"][0]["request_body"] or "")
    failed = _run(
        pack, sandbox, "list_webhook_logs", {"webhook_id": hook["id"], "status": "FAILED"}
    )
    assert [log["status_code"] for log in failed["logs"]] == [500]
    newest = _run(
        pack,
        sandbox,
        "list_webhook_logs",
        {"webhook_id": hook["id"], "newest_first": True, "limit": 1},
    )
    assert newest["count"] == 1 and newest["logs"][0]["id"] in {log["id"] for log in logs["logs"]}
