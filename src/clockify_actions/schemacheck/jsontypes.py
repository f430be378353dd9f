"""JSON's types as jsonschema's Draft 2020-12 validator judges them (bool is not a
number, 1.0 is an integer), shared by both forms of the check."""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]


def is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def is_number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, numbers.Number)
