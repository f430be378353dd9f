"""Names to ids on the sandbox: find-or-create under a race ends with one item, and the
find actions refuse an ambiguous request before sending anything."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from clockify_actions import Pack
from clockify_actions.clockify import ClientSettings, RetrySettings
from clockify_actions.sandbox import DEMO_API_KEY, DEMO_WORKSPACE_ID, Sandbox

SANDBOX_FAST = ClientSettings(requests_per_second=None, retry=RetrySettings(max_attempts=1))


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as opened:
        yield opened


class _MeetAfterLookUp(httpx.BaseTransport):
    """Holds each run after its first look-up until the other run has looked up too, so
    that both have seen "no such item" before either creates it: the race, every time."""

    def __init__(self, inner: httpx.BaseTransport, meeting: threading.Barrier) -> None:
        self._inner, self._meeting, self._met = inner, meeting, False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        if request.method == "GET" and not self._met:
            self._met = True
            response.read()
            self._meeting.wait(timeout=30)
        return response


def _names(sandbox: Sandbox, what: str) -> list[str]:
    with httpx.Client(transport=sandbox.transport(), headers={"X-Api-Key": DEMO_API_KEY}) as api:
        listed = api.get(f"https://api.clockify.me/api/v1/workspaces/{DEMO_WORKSPACE_ID}/{what}")
    return [item["name"] for item in listed.json()]


@pytest.mark.parametrize(
    ("action", "what"), [("find_or_create_client", "clients"), ("find_or_create_tag", "tags")]
)
def test_two_runs_racing_to_create_one_name_end_with_one_item(
    pack: Pack, sandbox: Sandbox, action: str, what: str
) -> None:
    meeting = threading.Barrier(2)

    def run(name: str) -> dict[str, Any]:
        transport = _MeetAfterLookUp(sandbox.transport(), meeting)
        params = {"workspace_id": DEMO_WORKSPACE_ID, "name": name}
        return pack.run(
            action, params, api_key=DEMO_API_KEY, transport=transport, settings=SANDBOX_FAST
        )

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(run, ["Umbrella", "umbrella "]))
    assert [r["status"] for r in results] == ["success", "success"], results
    assert sorted(r["created"] for r in results) == [False, True]
    assert results[0]["id"] == results[1]["id"]
    # The loser sent its create, was refused as a duplicate and read the winner back.
    log = [(r.method, r.status) for r in sandbox.request_log() if r.path.endswith(f"/{what}")]
    assert sorted(log) == [("GET", 200)] * 3 + [("POST", 201), ("POST", 400)]
    # Whichever run won, its name is the one item's, and both report it.
    assert [n for n in _names(sandbox, what) if n.casefold() == "umbrella"] == [results[0]["name"]]


def test_runs_in_separate_processes_share_one_tag(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.sqlite3"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLOCKIFY_")}
    environment["CLOCKIFY_SANDBOX_DB"] = str(db)
    command = [
        sys.executable,
        "-m",
        "clockify_actions",
        "run",
        "find_or_create_tag",
        "--sandbox",
        "--param",
        f"workspace_id={DEMO_WORKSPACE_ID}",
        "--param",
        "name=Workshop",
    ]
    with Sandbox.open(db):
        pass  # created and seeded once, before the runs race to open it
    runs = [
        subprocess.Popen(
            command, stdout=subprocess.PIPE, text=True, env=environment, stdin=subprocess.DEVNULL
        )
        for _ in range(3)
    ]
    results = [json.loads(run.communicate(timeout=60)[0]) for run in runs]
    assert {r["status"] for r in results} == {"success"}
    assert len({r["id"] for r in results}) == 1
    assert [r["created"] for r in results].count(True) == 1
    with Sandbox.open(db) as sandbox:
        assert _names(sandbox, "tags").count("Workshop") == 1


@pytest.mark.parametrize(
    "given", [{}, {"name": "Sam Colleague", "email": "sam.colleague@example.com"}]
)
def test_find_user_wants_exactly_one_of_name_and_email(
    pack: Pack, sandbox: Sandbox, given: dict[str, str]
) -> None:
    result = pack.run(
        "find_user",
        {"workspace_id": DEMO_WORKSPACE_ID, **given},
        api_key=DEMO_API_KEY,
        transport=sandbox.transport(),
        settings=SANDBOX_FAST,
    )
    assert result["error"]["type"] == "validation_error"
    named = [f"/{field}" for field in given] or [""]
    assert [d["path"] for d in result["error"]["details"] if "path" in d] == named
    assert all(
        d["message"] == "give exactly one of name and email"
        for d in result["error"]["details"]
        if "path" in d
    )
    assert sandbox.request_log() == []
