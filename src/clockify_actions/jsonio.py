"""Reading JSON that comes from outside: strict, bounded, and never an exception other
than ValueError."""

from __future__ import annotations

import json
import math
from typing import Any


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"the number {text} is too large")
    return number


def loads(data: bytes) -> Any:
    """Parse UTF-8 JSON as RFC 8259 defines it: no NaN or Infinity, no number that
    overflows to infinity, no text that is not valid Unicode. Nesting too deep to parse
    is a ValueError like any other malformed input."""
    text = data.decode("utf-8")
    try:
        value = json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except RecursionError:
        raise ValueError("the JSON is nested too deeply") from None
    where = unencodable_string(value)
    if where is not None:
        raise ValueError(f"the string at {where or '/'} holds an unpaired surrogate")
    return value


def unencodable_string(value: Any, path: str = "") -> str | None:
    """The JSON pointer of the first string (or key) that UTF-8 cannot encode: an escaped
    lone surrogate such as "\\ud800" parses, but no request can carry it."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path
        return None
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        where = unencodable_string(str(key), path) or unencodable_string(item, f"{path}/{key}")
        if where is not None:
            return where
    return None
