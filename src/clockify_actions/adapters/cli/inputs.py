"""An action's input, from stdin, `--input`, `--json` or `--param` pairs read by the
schema's types."""

from __future__ import annotations

import argparse
import os
import select
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clockify_actions import jsonio
from clockify_actions.adapters.cli.parser import UsageError

if TYPE_CHECKING:
    from clockify_actions.runtime import Pack

MAX_INPUT_BYTES = 1024 * 1024
# How long `--param` waits to see whether a pipe on stdin carries input too: a runner may
# open a pipe and neither write to it nor close it, and that must not hang the run.
PIPED_INPUT_WAIT_SECONDS = 0.2


def read_input(args: argparse.Namespace, pack: Pack) -> Any:
    if args.param:
        if _piped_input_waiting():
            raise UsageError(
                "Input came both as --param and piped on stdin; send it one way only "
                "(--param pairs, or a JSON object on stdin)."
            )
        return params_from_pairs(args.name, args.param, pack)
    if args.json_input is not None:
        raw = os.fsencode(args.json_input)
    elif args.input:
        try:
            with Path(args.input).open("rb") as stream:
                raw = stream.read(MAX_INPUT_BYTES + 1)
        except OSError as error:
            raise UsageError(f"Cannot read --input {args.input}: {error.strerror}.") from None
    elif _stdin_is_interactive_or_null():
        return {}
    else:
        raw = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    if len(raw) > MAX_INPUT_BYTES:
        raise UsageError(f"The input is larger than {MAX_INPUT_BYTES} bytes.")
    if not raw.strip():
        raise UsageError("The input is empty; send a JSON object, e.g. {} for no parameters.")
    try:
        return jsonio.loads(raw)
    except UnicodeDecodeError:
        raise UsageError("The input is not valid UTF-8.") from None
    except ValueError as error:
        raise UsageError(f"The input is not valid JSON: {error}.") from None


def _stdin_is_interactive_or_null() -> bool:
    """A terminal or /dev/null means no input was piped: the action gets `{}`."""
    try:
        return stat.S_ISCHR(os.fstat(sys.stdin.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):
        return True


def _piped_input_waiting() -> bool:
    """Whether stdin carries piped input (more than whitespace). Reads only what is
    there already: an open pipe nobody writes to is taken as no input."""
    if _stdin_is_interactive_or_null():
        return False
    try:
        descriptor = sys.stdin.fileno()
        ready, _, _ = select.select([descriptor], [], [], PIPED_INPUT_WAIT_SECONDS)
        return bool(ready) and bool(os.read(descriptor, 64 * 1024).strip())
    except (OSError, ValueError):
        return False


def _utf8_argument(argument: str) -> str:
    """An argument as the UTF-8 it was typed in, even where the locale decoded it as
    ASCII; bytes that are not UTF-8 stay escaped, and validation then refuses them."""
    try:
        return os.fsencode(argument).decode("utf-8")
    except UnicodeDecodeError:
        return argument


def params_from_pairs(name: str, pairs: Sequence[str], pack: Pack) -> dict[str, Any]:
    properties = pack.describe(name)["parameters"].get("properties", {})
    params: dict[str, Any] = {}
    for pair in map(_utf8_argument, pairs):
        key, sep, text = pair.partition("=")
        if not sep:
            raise UsageError(f"--param takes KEY=VALUE, got {pair!r}.")
        kind = properties.get(key, {}).get("type", "string")
        if kind == "boolean":
            if text not in ("true", "false"):
                raise UsageError(f"--param {key} takes true or false, got {text!r}.")
            params[key] = text == "true"
        elif kind in ("integer", "number", "array", "object"):
            try:
                params[key] = jsonio.loads(text.encode("utf-8", "surrogateescape"))
            except ValueError:
                raise UsageError(f"--param {key} takes a JSON {kind}, got {text!r}.") from None
        else:
            params[key] = text
    return params
