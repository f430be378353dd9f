"""The deadline of the request being made: a wall that no network operation may pass.

httpx's timeouts bound each network operation, not a whole request: a server that trickles
its answer one byte at a time never trips a read timeout. The client states each attempt's
deadline here (`deadline_of`); the transports of `clockify.transport` cut every connect,
write and read to what is left of it (`left`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# The monotonic time the current attempt must be over by; None outside an attempt.
_DEADLINE: ContextVar[float | None] = ContextVar("clockify_attempt_deadline", default=None)


@contextmanager
def deadline_of(moment: float) -> Iterator[None]:
    """Within the block, no network operation may end after `moment` (a
    `time.monotonic()` value)."""
    token = _DEADLINE.set(moment)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


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
