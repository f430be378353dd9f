"""What the commands write to stdout, and whether it arrived.

A command's output is its result: an action's record, a poll's events, a worker's answer.
Whatever keeps it from arriving whole (a stdout closed before the start, a reader that has
gone, a full disk) is a failure of the command, reported on stderr with
`OUTPUT_LOST_EXIT_CODE`, never a traceback and never a success: a poll whose events were
not written keeps its old state, so that the next poll delivers them again.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from typing import IO

# The exit code of a command whose output did not arrive whole.
OUTPUT_LOST_EXIT_CODE = 9


class OutputLost(Exception):
    """What was written to the stream did not all arrive; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Closed(io.TextIOBase):
    """Stands in for a stdout closed before the start: it holds descriptor 1 (on
    /dev/null), so that no file opened later takes stdout's place, and refuses every
    write, as the closed stdout would have."""

    def __init__(self) -> None:
        super().__init__()
        self._holder = os.open(os.devnull, os.O_WRONLY)

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "stdout was closed before the start")


def stand_in_for_closed_streams() -> None:
    """A stdout or stderr closed before the start gets a stand-in: stdout's refuses every
    write, stderr's writes to /dev/null."""
    if sys.stdout is None:
        sys.stdout = _Closed()
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


def closed_before_the_start(stream: IO[str]) -> bool:
    return isinstance(stream, _Closed)


def write(stream: IO[str], text: str) -> None:
    """Writes `text` and flushes it; raises `OutputLost` when it did not all arrive. The
    stream's descriptor then goes to /dev/null, so that what is still buffered goes
    nowhere instead of failing again (with a traceback) when the interpreter exits."""
    try:
        stream.write(text)
        stream.flush()
    except (OSError, ValueError) as error:  # ValueError: the stream was closed
        _discard(stream)
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise OutputLost(str(reason)) from None


def _discard(stream: IO[str]) -> None:
    with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
        descriptor = stream.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, descriptor)
        finally:
            os.close(devnull)
