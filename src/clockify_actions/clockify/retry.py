"""When a request is sent again, and how long to wait first. The only place that decides.

A write (POST, PATCH) is sent again only when Clockify provably did not process it: the
connection was never made, or Clockify answered 429. A write that timed out, lost its
connection mid-way or met a 5xx may have been processed, so sending it again could
create a second record; it fails with an unknown outcome instead.

PUT and DELETE are idempotent on Clockify and are retried like reads. A PUT carries the
whole record (Clockify replaces the entry with the body), so a second copy leaves the same
state. A DELETE sent again after its answer was lost may find the record already gone and
get Clockify's "doesn't belong" 400: `GONE_AFTER_LOST_ANSWER` names that case, and the
client reports it as not found with an unknown outcome rather than as a plain not found.
"""

from __future__ import annotations

import email.utils
import hashlib
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar

from clockify_actions.errors import ErrorType, WriteOutcome


class Outcome(StrEnum):
    """What became of one attempt, as far as the client can tell."""

    NOT_SENT = "not_sent"  # connect error or connect/pool timeout: nothing reached Clockify
    TIMEOUT = "timeout"  # sent, no answer in time
    BROKEN = "broken"  # sent, connection lost before a full answer
    RATE_LIMITED = "429"
    SERVER_ERROR = "500"
    BAD_GATEWAY = "502"
    UNAVAILABLE = "503"
    GATEWAY_TIMEOUT = "504"


METHOD_KINDS: dict[str, str] = {
    "GET": "read",
    "HEAD": "read",
    "OPTIONS": "read",
    "PUT": "replace",
    "DELETE": "delete",
}

# On the reports host a report is asked for with a POST whose body is the query: it changes
# nothing, so it is a read, sent again as a read is (docs/clockify-api.md §24.2).
REPORT_METHOD_KINDS: dict[str, str] = {"POST": "read"}

RETRY_TABLE: dict[str, frozenset[Outcome]] = {
    "read": frozenset(Outcome),
    # The body is the whole record: applying it twice gives the state applying it once does.
    "replace": frozenset(Outcome),
    # Deleting twice leaves the record deleted; see GONE_AFTER_LOST_ANSWER for the answer.
    "delete": frozenset(Outcome),
    "write": frozenset({Outcome.NOT_SENT, Outcome.RATE_LIMITED}),
}

# Outcomes after which a write's effect on Clockify is unknown.
UNKNOWN_WRITE_OUTCOMES = frozenset(Outcome) - RETRY_TABLE["write"]

# Method kinds whose retry, after an attempt that may have been applied, can be refused
# with this error type only because that attempt was applied.
GONE_AFTER_LOST_ANSWER: dict[str, ErrorType] = {"delete": ErrorType.NOT_FOUND}


def write_outcome(outcome: Outcome) -> WriteOutcome:
    """What became of a write whose last attempt ended this way."""
    return WriteOutcome.UNKNOWN if outcome in UNKNOWN_WRITE_OUTCOMES else WriteOutcome.NOT_APPLIED


def write_outcome_for_status(status: int) -> WriteOutcome:
    """What became of a write Clockify answered with `status`: a success was applied, a
    4xx was refused; any other answer (a 5xx, a redirect) leaves it unknown."""
    if 200 <= status < 300:
        return WriteOutcome.APPLIED
    return WriteOutcome.NOT_APPLIED if 400 <= status < 500 else WriteOutcome.UNKNOWN


def method_kind(method: str, *, reports: bool = False) -> str:
    """What a request does, by its method and host (`reports`: the reports host)."""
    if reports and method.upper() in REPORT_METHOD_KINDS:
        return REPORT_METHOD_KINDS[method.upper()]
    return METHOD_KINDS.get(method.upper(), "write")


def is_retried(method: str, outcome: Outcome, *, reports: bool = False) -> bool:
    return outcome in RETRY_TABLE[method_kind(method, reports=reports)]


def outcome_for_status(status: int) -> Outcome | None:
    try:
        return Outcome(str(status))
    except ValueError:
        return None


class FrozenSettings:
    """Immutable, and equal, hashable and shown by the fields `_FIELDS` names, as a
    frozen dataclass is. A plain class: the settings' dataclasses cost every start
    their building."""

    __slots__ = ()
    _FIELDS: ClassVar[tuple[str, ...]] = ()

    def _init(self, *values: Any) -> None:
        for name, value in zip(self._FIELDS, values, strict=True):
            object.__setattr__(self, name, value)

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._FIELDS)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: the settings are immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: the settings are immutable")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, FrozenSettings)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Pickled and copied by their fields, which `__init__` takes in this order.
        return (self.__class__, self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._FIELDS)
        return f"{self.__class__.__qualname__}({shown})"


class RetrySettings(FrozenSettings):
    _FIELDS = ("max_attempts", "base_delay", "max_delay", "retry_after_cap", "deadline")
    __slots__ = _FIELDS
    max_attempts: int
    base_delay: float
    max_delay: float
    retry_after_cap: float
    deadline: float

    def __init__(
        self,
        max_attempts: int = 4,
        base_delay: float = 0.5,
        max_delay: float = 8.0,
        retry_after_cap: float = 30.0,
        deadline: float = 45.0,
    ) -> None:
        self._init(max_attempts, base_delay, max_delay, retry_after_cap, deadline)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header: delta-seconds or an HTTP date; None
    when absent or unreadable (a value that is not ASCII is both)."""
    if not value or not value.isascii():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_delay(
    attempt: int,
    retry_after: float | None,
    settings: RetrySettings,
    rng: random.Random | None = None,
) -> float:
    """The wait before attempt `attempt + 1`: Retry-After when sent (capped), else
    exponential backoff with full jitter so that many workers do not retry in step."""
    if retry_after is not None:
        return min(retry_after, settings.retry_after_cap)
    ceiling = min(settings.max_delay, settings.base_delay * 2 ** (attempt - 1))
    return (rng or random).uniform(0, ceiling)


class Pacer:
    """At most `rate` requests in any one-second window for one API key, across all
    threads of the process (Clockify's documented limit is 50 per second)."""

    _shared: ClassVar[dict[tuple[str, float], Pacer]] = {}
    _shared_lock = threading.Lock()

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.capacity = max(1, int(rate))
        self.window = self.capacity / rate
        self._clock = clock
        self._sleep = sleep
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()

    @classmethod
    def for_key(cls, api_key: str, rate: float) -> Pacer:
        key = (hashlib.sha256(api_key.encode()).hexdigest(), rate)
        with cls._shared_lock:
            pacer = cls._shared.get(key)
            if pacer is None:
                pacer = cls._shared[key] = cls(rate)
            return pacer

    def wait(self) -> float:
        """Block until a request may be sent; the clock's time of the slot taken."""
        while True:
            with self._lock:
                now = self._clock()
                while self._sent and now - self._sent[0] >= self.window:
                    self._sent.popleft()
                if len(self._sent) < self.capacity:
                    self._sent.append(now)
                    return now
                pause = self.window - (now - self._sent[0])
            self._sleep(pause)
