"""The retry policy: what is sent again, how long the client waits, and when it stops."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from clockify_actions.clockify import ClockifyClient
from clockify_actions.clockify.client import ClientSettings
from clockify_actions.clockify.models import Workspace
from clockify_actions.clockify.retry import (
    Outcome,
    RetrySettings,
    backoff_delay,
    is_retried,
    parse_retry_after,
)
from clockify_actions.errors import ActionError
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


def test_backoff_grows_exponentially_with_jitter_below_the_maximum() -> None:
    settings = RetrySettings(base_delay=0.5, max_delay=8.0)
    rng = random.Random(7)
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0), (9, 8.0)]:
        delays = [backoff_delay(attempt, None, settings, rng) for _ in range(200)]
        assert ceiling / 2 <= min(delays) and max(delays) <= ceiling
        assert len(set(delays)) > 100, "jitter spreads retries out"


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


def test_retry_settings_come_from_the_environment() -> None:
    settings = RetrySettings.from_environ(
        {"CLOCKIFY_RETRY_MAX_ATTEMPTS": "2", "CLOCKIFY_RETRY_DEADLINE": "1.5"}
    )
    assert (settings.max_attempts, settings.deadline, settings.base_delay) == (2, 1.5, 0.5)
    for bad in ({"CLOCKIFY_RETRY_MAX_ATTEMPTS": "two"}, {"CLOCKIFY_RETRY_MAX_ATTEMPTS": "0"}):
        with pytest.raises(ActionError) as caught:
            RetrySettings.from_environ(bad)
        assert caught.value.type.value == "config_error"
