"""A trigger's state file, as `clockify-actions poll --state FILE` keeps it: read before a
poll, and replaced whole after it, atomically (a new file written, flushed to disk and
renamed over the old one), so that a crash leaves either the old state or the new one,
never a torn file.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from clockify_actions import jsonio
from clockify_actions.errors import ActionError, ErrorType

MAX_STATE_BYTES = 16 * 1024 * 1024


def read(path: Path) -> Any:
    """The state in `path`; None when the file does not exist or is empty (a first poll)."""
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_STATE_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ActionError(
            ErrorType.CONFIG, f"Cannot read the state file {path}: {error.strerror or error}."
        ) from None
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
    """Writes `state` to `path` atomically and durably; raises OSError when it cannot."""
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
