"""The streams a command speaks on: its one JSON document on stdout, written whole or
said lost; messages and logs, redacted, on stderr."""

from __future__ import annotations

import io
import logging
import sys

from clockify_actions.output import OutputLost
from clockify_actions.output import write as write_output
from clockify_actions.runtime import RedactingFilter, Redactor


def configure_logging(verbose: bool, redactor: Redactor) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter(redactor))
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("clockify_actions")
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)


def utf8_streams() -> None:
    # JSON is UTF-8 whatever the locale says; messages never fail over a character.
    for stream, errors in ((sys.stdout, "strict"), (sys.stderr, "backslashreplace")):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8", errors=errors)


def emit(document: str) -> bool:
    """Writes the one document to stdout; False, said on stderr, when it did not arrive
    whole."""
    try:
        write_output(sys.stdout, document + "\n")
    except OutputLost as lost:
        tell_person(f"clockify-actions: the result could not be written to stdout ({lost}).\n")
        return False
    return True


def tell_person(text: str) -> None:
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except OSError:
        pass  # nobody is listening on stderr either; stdout and the exit code still tell
