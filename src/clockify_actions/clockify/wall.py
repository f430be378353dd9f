"""The deadline of the request being made: a wall that no network operation may pass.

httpx's timeouts bound each network operation, not a whole request: a server that trickles
its answer one byte at a time never trips a read timeout. The client states each attempt's
deadline here (`deadline_of`); the transports of `clockify.transport` cut every connect,
write and read to what is left of it (`left`).
"""

from __future__ import annotations

import time
from contextvars import ContextVar

# The monotonic time the current attempt must be over by; None outside an attempt.
_DEADLINE: ContextVar[float | None] = ContextVar("clockify_attempt_deadline", default=None)


class deadline_of:  # used as a function: `with deadline_of(moment):`
    """Within the block, no network operation may end after `moment` (a
    `time.monotonic()` value).

    A plain class rather than a generator context manager: it wraps every attempt."""

    __slots__ = ("_moment", "_token")

    def __init__(self, moment: float) -> None:
        self._moment = moment

    def __enter__(self) -> None:
        self._token = _DEADLINE.set(self._moment)

    def __exit__(self, *exc: object) -> None:
        _DEADLINE.reset(self._token)


def left(timeout: float | None, expired: type[Exception]) -> float | None:
    """`timeout` cut to what is left before the deadline; raises `expired` once it has
    passed."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise expired("the request's deadline passed")
    return remaining if timeout is None else min(timeout, remaining)
