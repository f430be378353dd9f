"""A trigger's state file, as `clockify-actions poll --state FILE` keeps it: read before a
poll, and replaced whole after it, atomically (a new file written, flushed to disk and
renamed over the old one), so that a crash leaves either the old state or the new one,
never a torn file.

The path is a regular file or nothing yet, in a folder that exists: anything else (a
device such as /dev/null, a FIFO, a symbolic link, a folder) is never read nor replaced.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from clockify_actions import jsonio
from clockify_actions.errors import ActionError, ErrorType

MAX_STATE_BYTES = 16 * 1024 * 1024


def _kind(mode: int) -> str:
    """What a file that is not a regular one is, in words."""
    kinds = (
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _refused(path: Path, why: str) -> ActionError:
    return ActionError(
        ErrorType.CONFIG,
        f"The state file {path} {why}; --state takes a regular file, or a path where none "
        "exists yet. It was left untouched.",
    )


def read(path: Path) -> Any:
    """The state in `path`; None when the file does not exist or is empty (a first poll).
    A path that is not a regular file, or whose folder is missing, is a `config_error`."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        if not (path.parent if str(path.parent) else Path(".")).is_dir():
            raise _refused(path, "is in a folder that does not exist") from None
        return None
    except OSError as error:
        raise _refused(path, f"cannot be read ({error.strerror or error})") from None
    if not stat.S_ISREG(mode):
        raise _refused(path, f"is {_kind(mode)}")
    try:
        # Not following a link, and not waiting on a FIFO, put there since the look above.
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as stream:
            mode = os.fstat(stream.fileno()).st_mode
            if not stat.S_ISREG(mode):
                raise _refused(path, f"is {_kind(mode)}")
            raw = stream.read(MAX_STATE_BYTES + 1)
    except OSError as error:
        raise _refused(path, f"cannot be read ({error.strerror or error})") from None
    if len(raw) > MAX_STATE_BYTES:
        raise ActionError(
            ErrorType.CONFIG, f"The state file {path} is over {MAX_STATE_BYTES} bytes."
        )
    if not raw.strip():
        return None
    try:
        return jsonio.loads(raw)
    except ValueError as error:
        raise ActionError(
            ErrorType.CONFIG,
            f"The state file {path} is not JSON ({error}); delete it to start afresh, which "
            "delivers nothing until the next change.",
        ) from None


def replace(path: Path, state: Any) -> None:
    """Writes `state` to `path` atomically and durably; raises OSError when it cannot, or
    when something other than a regular file is at `path` (which is left as it is)."""
    with contextlib.suppress(FileNotFoundError):
        mode = os.lstat(path).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(f"{path} is {_kind(mode)}, not a regular file")
    directory = path.parent if str(path.parent) else Path(".")
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(json.dumps(state, ensure_ascii=False, separators=(",", ":")) + "\n")
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    # The rename itself is durable only once the directory is.
    with contextlib.suppress(OSError):
        folder = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
