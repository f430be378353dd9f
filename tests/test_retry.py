"""The retry policy: what is sent again, how long the client waits, and when it stops."""

from __future__ import annotations

import random
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from clockify_actions.clockify import ClockifyClient
from clockify_actions.clockify.retry import (
    Outcome,
    Pacer,
    RetrySettings,
    backoff_delay,
    is_retried,
    parse_retry_after,
)
from clockify_actions.clockify.settings import ClientSettings
from clockify_actions.errors import ActionError
from clockify_actions.resources.workspaces.models import Workspace
from clockify_actions.runtime.connection import client_settings
from fake_clockify import FakeClockify


@pytest.mark.parametrize("outcome", list(Outcome))
def test_reads_are_retried_on_every_transient_outcome(outcome: Outcome) -> None:
    assert is_retried("GET", outcome)


@pytest.mark.parametrize("method", ["POST", "PATCH"])
@pytest.mark.parametrize("outcome", list(Outcome))
def test_writes_are_retried_only_when_provably_unprocessed(method: str, outcome: Outcome) -> None:
    assert is_retried(method, outcome) == (outcome in (Outcome.NOT_SENT, Outcome.RATE_LIMITED))


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
@pytest.mark.parametrize("outcome", list(Outcome))
def test_idempotent_writes_are_retried_like_reads(method: str, outcome: Outcome) -> None:
    # A PUT carries the whole record and a DELETE leaves it deleted: twice is as once.
    assert is_retried(method, outcome)


def test_retry_after_in_seconds_and_as_an_http_date() -> None:
    now = datetime(2026, 1, 28, 9, 0, tzinfo=UTC)
    assert parse_retry_after("7", now) == 7.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=12), usegmt=True), now) == 12.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=5), usegmt=True), now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after("", now) is None
    assert parse_retry_after(None, now) is None


def test_backoff_honours_retry_after_up_to_its_cap() -> None:
    settings = RetrySettings(retry_after_cap=10.0)
    assert backoff_delay(1, 3.0, settings) == 3.0
    assert backoff_delay(1, 3600.0, settings) == 10.0


def test_backoff_is_full_jitter_up_to_an_exponential_ceiling() -> None:
    settings = RetrySettings(base_delay=0.5, max_delay=8.0)
    rng = random.Random(7)
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0), (9, 8.0)]:
        delays = [backoff_delay(attempt, None, settings, rng) for _ in range(2000)]
        assert min(delays) >= 0 and max(delays) <= ceiling
        # Spread over the whole range, not its upper half: workers that failed together
        # do not come back together.
        assert min(delays) < ceiling * 0.02 and max(delays) > ceiling * 0.98
        assert abs(sum(delays) / len(delays) - ceiling / 2) < ceiling * 0.05
        assert sum(d < ceiling / 2 for d in delays) > 900


@pytest.mark.parametrize("value", ["²", "٣", "3\u00a0", "½", "7\u2009"])
def test_a_retry_after_that_is_not_ascii_is_absent(value: str) -> None:
    assert parse_retry_after(value) is None


@pytest.mark.parametrize("raw", [b"\xb2", "٣".encode(), b"3\xff"])
def test_a_429_with_a_non_ascii_retry_after_is_retried_with_backoff(raw: bytes) -> None:
    answers = iter(
        [
            httpx.Response(429, headers=[(b"Retry-After", raw)], content=b""),
            httpx.Response(200, json=[{"id": "w1", "name": "One"}]),
        ]
    )
    slept: list[float] = []
    retry = RetrySettings(base_delay=0.5, max_delay=8.0)
    client = ClockifyClient(
        "key-0123456789",
        "https://api.clockify.me/api/v1",
        settings=ClientSettings(requests_per_second=None, retry=retry),
        transport=httpx.MockTransport(lambda request: next(answers)),
        sleep=slept.append,
    )
    with client:
        assert [w.id for w in client.get_list("/workspaces", Workspace)] == ["w1"]
    assert len(slept) == 1 and 0 <= slept[0] <= 0.5, "the backoff, not a made-up Retry-After"


class FakeClock:
    """A monotonic clock that only moves when something sleeps on it."""

    def __init__(self) -> None:
        self.now = 100.0
        self.lock = threading.Lock()

    def __call__(self) -> float:
        with self.lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        with self.lock:
            self.now += seconds


def test_pacer_never_exceeds_its_rate_in_any_window() -> None:
    clock = FakeClock()
    pacer = Pacer(rate=20, clock=clock, sleep=clock.sleep)
    sent = [pacer.wait() for _ in range(50)]
    assert sent == sorted(sent)
    windows = [sum(1 for t in sent if start <= t < start + 1.0) for start in sent]
    assert max(windows) == 20
    assert sent[:20] == [100.0] * 20, "a burst up to the rate goes at once"
    assert sent[-1] - sent[0] == pytest.approx(2.0), "50 requests at 20 per second take 2 s"


def test_pacer_holds_its_rate_across_threads() -> None:
    clock = FakeClock()
    pacer = Pacer(rate=20, clock=clock, sleep=clock.sleep)
    sent: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(10):
            slot = pacer.wait()
            with lock:
                sent.append(slot)

    threads = [threading.Thread(target=worker) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent.sort()
    assert len(sent) == 50
    assert max(sum(1 for t in sent if start <= t < start + 1.0) for start in sent) <= 20
    assert sent[-1] - sent[0] >= 2.0


def _client(clockify: FakeClockify, retry: RetrySettings, slept: list[float]) -> ClockifyClient:
    settings = ClientSettings(requests_per_second=None, retry=retry)
    return ClockifyClient(
        "key-0123456789",
        "https://api.clockify.me/api/v1",
        settings=settings,
        transport=clockify.transport,
        sleep=slept.append,
    )


def test_a_sent_retry_after_is_waited_for(clockify: FakeClockify) -> None:
    clockify.answer("GET", "/workspaces", 429, content=b"", headers={"Retry-After": "3"})
    clockify.answer("GET", "/workspaces", body=[])
    slept: list[float] = []
    with _client(clockify, RetrySettings(), slept) as client:
        assert client.get_list("/workspaces", Workspace) == []
    assert slept == [3.0]


def test_the_deadline_stops_retrying_before_a_wait_that_would_pass_it(
    clockify: FakeClockify,
) -> None:
    clockify.answer_everything(503, content=b"", headers={"Retry-After": "1"})
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        time.sleep(seconds)

    retry = RetrySettings(max_attempts=10, deadline=0.3, retry_after_cap=0.2)
    settings = ClientSettings(requests_per_second=None, retry=retry)
    client = ClockifyClient(
        "key-0123456789", "https://api.clockify.me/api/v1", settings=settings,
        transport=clockify.transport, sleep=sleep,
    )  # fmt: skip
    with client, pytest.raises(ActionError) as caught:
        client.get_list("/workspaces", Workspace)
    assert slept == [0.2], "a second 0.2 s wait would pass the 0.3 s deadline"
    assert caught.value.type.value == "upstream_error"
    assert {"attempts": 2} in caught.value.details


def test_retry_settings_come_from_the_environment_where_code_leaves_the_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLOCKIFY_RETRY_MAX_ATTEMPTS", "2")
    monkeypatch.setenv("CLOCKIFY_RETRY_DEADLINE", "1.5")
    retry = client_settings(None).retry
    assert (retry.max_attempts, retry.deadline, retry.base_delay) == (2, 1.5, 0.5)
    assert client_settings(ClientSettings(read_timeout=5)).retry == retry
    given = RetrySettings(max_attempts=3)
    assert client_settings(ClientSettings(retry=given)).retry == given
    # The client itself reads no environment.
    assert ClientSettings().retry == RetrySettings()
    for bad in ("two", "0"):
        monkeypatch.setenv("CLOCKIFY_RETRY_MAX_ATTEMPTS", bad)
        with pytest.raises(ActionError) as caught:
            client_settings(None)
        assert caught.value.type.value == "config_error"


@pytest.mark.parametrize(("given", "size"), [(None, 5000), ("2", 2), ("5000", 5000)])
def test_the_page_size_comes_from_the_environment_when_not_given(
    monkeypatch: pytest.MonkeyPatch, given: str | None, size: int
) -> None:
    if given is None:
        monkeypatch.delenv("CLOCKIFY_PAGE_SIZE", raising=False)
    else:
        monkeypatch.setenv("CLOCKIFY_PAGE_SIZE", given)
    assert client_settings(None).page_size == size
    assert client_settings(ClientSettings(page_size=7)).page_size == 7
    assert ClientSettings().page_size == 5000


@pytest.mark.parametrize("given", ["0", "5001", "two", "-1"])
def test_a_page_size_out_of_range_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    monkeypatch.setenv("CLOCKIFY_PAGE_SIZE", given)
    with pytest.raises(ActionError) as refused:
        client_settings(None)
    assert refused.value.type.value == "config_error"
    assert "CLOCKIFY_PAGE_SIZE" in refused.value.message
