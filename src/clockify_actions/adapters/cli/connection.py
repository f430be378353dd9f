"""Where a command connects: the API key (`--api-key-env`, `--api-key-file`), the
region or base URLs, the workspace, the retries, the pinned clock, and the sandbox."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from clockify_actions.errors import ActionError, ErrorType
from clockify_actions.runtime import unpaced_settings

MAX_KEY_FILE_BYTES = 4096
# Pins the clock of every run and poll (a timestamp with a zone): `fixtures verify
# --runner` replays recordings through another process, whose "now" must be the
# recording's.
PINNED_NOW_ENV = "CLOCKIFY_PINNED_NOW"
SANDBOX_BASE_URL = "http://sandbox.localhost/api/v1"


def explicit_api_key(args: argparse.Namespace) -> str | None:
    path = getattr(args, "api_key_file", None)
    if path:
        return _key_from_file(path)
    name = getattr(args, "api_key_env", None)
    if not name:
        return None
    key = os.environ.get(name)
    if not key:
        raise ActionError(ErrorType.CONFIG, f"The environment variable {name} is not set.")
    return key


def _key_from_file(path: str) -> str:
    """The key a file holds (a secret mounted as a file, as Kubernetes and Docker do): its
    text without surrounding blanks, the newline an editor adds included."""
    try:
        with Path(path).open("rb") as stream:
            raw = stream.read(MAX_KEY_FILE_BYTES + 1)
    except OSError as error:
        raise ActionError(
            ErrorType.CONFIG, f"Cannot read --api-key-file {path}: {error.strerror}."
        ) from None
    try:
        key = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        key = ""
    if not key or len(raw) > MAX_KEY_FILE_BYTES or any(c.isspace() for c in key):
        raise ActionError(
            ErrorType.CONFIG, f"--api-key-file {path} does not hold one API key on one line."
        )
    return key


def _pinned_clock() -> Callable[[], datetime] | None:
    """The clock `CLOCKIFY_PINNED_NOW` pins (a timestamp with a zone), for replays that
    must compute what a recording computed; None when it is unset."""
    text = os.environ.get(PINNED_NOW_ENV)
    if not text:
        return None
    from clockify_actions.timeutil import TimestampError, parse_timestamp

    try:
        now = parse_timestamp(text)
    except TimestampError as error:
        raise ActionError(ErrorType.CONFIG, f"{PINNED_NOW_ENV}: {error}") from None
    return lambda: now


def connection_options(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments for `Pack.run` from the connection options."""
    options: dict[str, Any] = {
        "region": args.region,
        "base_url": args.base_url,
        "reports_base_url": args.reports_base_url,
        "workspace_id": args.workspace,
        "retries": args.retries,
    }
    if args.api_key_env or args.api_key_file:
        options["api_key"] = explicit_api_key(args)
    clock = _pinned_clock()
    if clock is not None:
        options["clock"] = clock
    if args.allow_insecure_http:
        options["allow_insecure"] = True
    if args.sandbox:
        from clockify_actions.sandbox import DEMO_API_KEY, Sandbox, StateFileError

        try:
            sandbox = Sandbox.open()
        except (StateFileError, ValueError) as error:  # ValueError: CLOCKIFY_SANDBOX_FAULTS
            raise ActionError(ErrorType.CONFIG, str(error)) from None
        options["transport"] = sandbox.transport()
        # A trigger's windows follow the sandbox's clock, which may be set; actions keep
        # the real one.
        options["poll_clock"] = sandbox.now
        options.setdefault("api_key", DEMO_API_KEY)
        options["base_url"] = args.base_url or SANDBOX_BASE_URL
        # The sandbox emulates Clockify's rate limits itself when asked to.
        options["settings"] = unpaced_settings()
    return options


def with_poll_clock(options: dict[str, Any]) -> dict[str, Any]:
    poll_clock = options.pop("poll_clock", None)
    return options if poll_clock is None else {**options, "clock": poll_clock}
