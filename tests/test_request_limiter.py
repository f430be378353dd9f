"""The client's hook for a limit shared beyond the process: asked before every attempt,
retries included, and a refusal is an envelope that says nothing was sent."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from clockify_actions import Pack
from clockify_actions.clockify import ClientSettings
from clockify_actions.errors import ActionError, ErrorType
from clockify_actions.sandbox import DEMO_WORKSPACE_ID, SAMPLE_PROJECT_ID, Sandbox
from conftest import FAST
from test_reliability import run

ENTRY = {
    "workspace_id": DEMO_WORKSPACE_ID,
    "project_id": SAMPLE_PROJECT_ID,
    "start": "2026-01-28T09:00:00Z",
    "end": "2026-01-28T10:00:00Z",
}


class CountingLimiter:
    """Grants `grants` tokens, then refuses as a shared limit out of tokens would; counts
    the tokens handed back."""

    def __init__(self, grants: int) -> None:
        self.grants = grants
        self.deadlines: list[float] = []
        self.returned = 0

    def acquire(self, deadline: float) -> Callable[[], None]:
        self.deadlines.append(deadline)
        if len(self.deadlines) > self.grants:
            raise ActionError(ErrorType.RATE_LIMITED, "No token before the deadline.")
        return self.give_back

    def give_back(self) -> None:
        self.returned += 1


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as sandbox:
        yield sandbox


def test_every_attempt_takes_a_token_retries_included(pack: Pack, sandbox: Sandbox) -> None:
    sandbox.add_fault(action="status", status=503, when="before", times=2)
    limiter = CountingLimiter(grants=10)
    envelope = run(pack, sandbox, "list_workspaces", {}, limiter=limiter)
    assert envelope["status"] == "success"
    assert len(sandbox.request_log()) == 3
    assert len(limiter.deadlines) == 3
    assert limiter.returned == 3


def test_a_token_is_handed_back_when_the_attempt_fails_too(pack: Pack, sandbox: Sandbox) -> None:
    sandbox.add_fault(action="drop", when="after", method="POST", times=1)
    limiter = CountingLimiter(grants=10)
    envelope = run(pack, sandbox, "create_time_entry", ENTRY, limiter=limiter)
    assert envelope["error"]["details"] == [{"attempts": 1, "outcome": "unknown"}]
    assert limiter.returned == 1


def test_a_refused_token_sends_nothing_and_says_the_write_was_not_applied(
    pack: Pack, sandbox: Sandbox
) -> None:
    envelope = run(pack, sandbox, "create_time_entry", ENTRY, limiter=CountingLimiter(grants=0))
    assert envelope["error"]["type"] == "rate_limited"
    assert envelope["error"]["details"] == [{"attempts": 0, "outcome": "not_applied"}]
    assert sandbox.request_log() == []


def test_a_token_refused_before_a_retry_counts_the_attempts_made(
    pack: Pack, sandbox: Sandbox
) -> None:
    sandbox.add_fault(action="status", status=429, when="before", times=1)
    envelope = run(pack, sandbox, "create_time_entry", ENTRY, limiter=CountingLimiter(grants=1))
    assert envelope["error"]["type"] == "rate_limited"
    assert envelope["error"]["details"] == [{"attempts": 1, "outcome": "not_applied"}]
    assert [r.status for r in sandbox.request_log()] == [429]


def test_the_limiter_is_given_the_requests_deadline(pack: Pack, sandbox: Sandbox) -> None:
    limiter = CountingLimiter(grants=1)
    before = time.monotonic()
    run(pack, sandbox, "list_workspaces", {}, limiter=limiter)
    (deadline,) = limiter.deadlines
    assert before + FAST.retry.deadline - 1 <= deadline <= time.monotonic() + FAST.retry.deadline


def test_a_shared_limiter_replaces_the_in_process_pacer(pack: Pack, sandbox: Sandbox) -> None:
    # At one request a second, the pacer alone would hold the third run two seconds.
    one_a_second = ClientSettings(requests_per_second=1, retry=FAST.retry)
    started = time.monotonic()
    for _ in range(3):
        limiter = CountingLimiter(grants=1)
        envelope = run(pack, sandbox, "list_workspaces", {}, settings=one_a_second, limiter=limiter)
        assert envelope["status"] == "success"
    assert time.monotonic() - started < 1
