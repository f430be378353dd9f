"""new_expense against the sandbox: every page of the expense list read, each new expense
delivered once however the list is ordered, the state kept small by the ids' time, and a
webhook delivery of EXPENSE_CREATED giving the poll's event (docs/clockify-api.md §29.10)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from clockify_actions.adapters.webhooks import verify
from clockify_actions.clockify import ClientSettings, Form
from clockify_actions.resources.expenses.polling import made_at
from clockify_actions.runtime import Pack, load_pack
from clockify_actions.sandbox import DEMO_API_KEY, DEMO_USER_ID, DEMO_WORKSPACE_ID, Sandbox

START = datetime(2026, 1, 28, 9, 0, tzinfo=UTC)
WS = f"https://api.clockify.me/api/v1/workspaces/{DEMO_WORKSPACE_ID}"
TRAVEL = "64b7c0de5eed000000001201"


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as opened:
        opened.set_time(START)
        yield opened


def _record(sandbox: Sandbox, notes: str) -> str:
    form = Form(
        [
            ("userId", DEMO_USER_ID),
            ("categoryId", TRAVEL),
            ("amount", "10"),
            ("date", "2026-01-28T00:00:00Z"),
            ("notes", notes),
        ]
    )
    with httpx.Client(transport=sandbox.transport(), headers={"X-Api-Key": DEMO_API_KEY}) as c:
        answer = c.send(form.request("POST", httpx.URL(f"{WS}/expenses"), c.headers))
    assert answer.status_code == 201, answer.text
    made: str = answer.json()["id"]
    return made


def _poll(pack: Pack, sandbox: Sandbox, state: Any, page_size: int = 200) -> dict[str, Any]:
    result = pack.poll(
        "new_expense",
        {"workspace_id": DEMO_WORKSPACE_ID},
        state,
        api_key=DEMO_API_KEY,
        base_url="http://sandbox.localhost/api/v1",
        transport=sandbox.transport(),
        clock=sandbox.now,
        settings=ClientSettings(page_size=page_size),
    )
    assert result["status"] == "success", result
    return result


def test_every_page_is_read_and_each_new_expense_delivered_once(sandbox: Sandbox) -> None:
    pack = load_pack()
    state = _poll(pack, sandbox, None, page_size=1)["state"]
    made = []
    for minute in (1, 2, 3):
        sandbox.set_time(START + timedelta(minutes=minute))
        made.append(_record(sandbox, f"taxi {minute}"))
    sandbox.set_time(START + timedelta(minutes=4))
    first = _poll(pack, sandbox, state, page_size=1)
    assert sorted(e["id"] for e in first["events"]) == sorted(made)
    sandbox.set_time(START + timedelta(minutes=30))
    later = _poll(pack, sandbox, first["state"], page_size=1)
    assert later["events"] == []
    # Older than the overlap: no longer kept, as no later poll can take it for new.
    assert later["state"]["seen"] == {}


def test_an_id_gives_the_second_clockify_made_it() -> None:
    assert made_at("6979fb6c5a4db0c10c000001") == datetime(2026, 1, 28, 12, 5, tzinfo=UTC)
    assert made_at("not-an-object-id") is None


def test_a_webhook_delivery_gives_the_event_the_poll_gives(sandbox: Sandbox) -> None:
    pack = load_pack()
    state = _poll(pack, sandbox, None)["state"]
    sandbox.set_time(START + timedelta(minutes=5))
    made = _record(sandbox, "Taxi to the airport")
    with httpx.Client(transport=sandbox.transport(), headers={"X-Api-Key": DEMO_API_KEY}) as c:
        row = c.get(f"{WS}/expenses/{made}").json()
    body = {key: value for key, value in row.items() if key != "locked"}  # as captured, §29.8
    headers = {"Clockify-Webhook-Event-Type": "EXPENSE_CREATED", "Clockify-Signature": "t"}
    delivered = verify(headers, json.dumps(body).encode(), "t")
    polled = _poll(pack, sandbox, state)["events"]
    assert delivered == {
        "trigger": "new_expense",
        "webhook_event": "EXPENSE_CREATED",
        "events": polled,
    }
