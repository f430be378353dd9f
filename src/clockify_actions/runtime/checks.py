"""How a document is checked against a manifest's schema: the formats the pack asserts, a
fast compiled check for the common valid case, and jsonschema for the words of a refusal.

jsonschema is imported only when a check fails or a validator is asked for: a run of valid
input from the bundle never pays for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from clockify_actions.runtime.defaults import LOCAL_OR_ZONED
from clockify_actions.schemacheck import Check, compile_check
from clockify_actions.timeutil import TimestampError, parse_time_input, parse_timestamp

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, FormatChecker, ValidationError


def _date_time(value: Any) -> bool:
    """The `date-time` format: a timestamp with a zone; TimestampError says why not."""
    return not isinstance(value, str) or bool(parse_timestamp(value))


def _time_input(value: Any) -> bool:
    """A time input: a timestamp with a zone, or a wall-clock time read in a zone later."""
    return not isinstance(value, str) or bool(parse_time_input(value))


# The formats the pack asserts, each with its check, which raises TimestampError saying
# why a value is not one; any other `format` is only an annotation.
_FORMAT_CHECKS: dict[str, Callable[[Any], bool]] = {
    "date-time": _date_time,
    LOCAL_OR_ZONED: _time_input,
}


def _quiet(check: Callable[[Any], bool]) -> Check:
    """`check` answering False where it would raise."""

    def quiet(value: Any) -> bool:
        try:
            return check(value)
        except TimestampError:
            return False

    return quiet


# The same checks as plain yes-or-no answers, for the compiled schema checks.
FORMATS: dict[str, Check] = {name: _quiet(check) for name, check in _FORMAT_CHECKS.items()}


@cache
def format_checker() -> FormatChecker:
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())
    for name, check in _FORMAT_CHECKS.items():
        checker.checks(name, raises=TimestampError)(check)
    return checker


def validator(
    schema: Mapping[str, Any], format_checker: FormatChecker | None = None
) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema, format_checker=format_checker)


def compiled(schema: Mapping[str, Any], formats: Mapping[str, Check]) -> Check:
    """The schema's fast check; for a schema it cannot compile, one that always defers to
    jsonschema."""
    return compile_check(schema, formats) or (lambda instance: False)


def errors(check: Check, schema: Mapping[str, Any], instance: Any) -> list[ValidationError]:
    """Nothing when the fast check passes; else every problem jsonschema finds."""
    if check(instance):
        return []
    return list(validator(schema, format_checker()).iter_errors(instance))


def admits_null(schema: Mapping[str, Any]) -> bool:
    """Whether the (inlined) schema accepts null: its type names it, its enum or const
    is it, or one of its `anyOf`/`oneOf` branches does."""
    kind = schema.get("type")
    if kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    if None in schema.get("enum", ()) or ("const" in schema and schema["const"] is None):
        return True
    return any(admits_null(branch) for key in ("anyOf", "oneOf") for branch in schema.get(key, ()))
