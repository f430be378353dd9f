"""A compiled yes/no check for the part of JSON Schema 2020-12 that the manifests use.

jsonschema explains every way an instance fails, but it takes tens of milliseconds to
import and walks each schema keyword by keyword. Nearly every instance is
valid, and for those one fast yes is all the runtime needs; jsonschema is asked only
when this check says no, to judge and explain. The check follows jsonschema's rules
keyword for keyword (bool is not a number, 1.0 is an integer, `pattern` searches,
`additionalProperties` sees only `properties`), and a schema that uses any keyword not
implemented here gets no check at all, so that jsonschema alone judges it. Any other key
(a title, `x-message`, a typo) is ignored, as jsonschema ignores it.

In parts: `closures` (the reference check, cheap to build), `written` (the same rules
written as Python source, for checks used often) and `jsontypes` (JSON's types as
jsonschema judges them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clockify_actions.schemacheck.closures import (
    KEYWORDS,
    Unsupported,
    compile_closures,
    written,
)
from clockify_actions.schemacheck.jsontypes import Check
from clockify_actions.schemacheck.written import LONG_LIST

__all__ = ["KEYWORDS", "LONG_LIST", "Check", "compile_check", "compile_fast_check"]


def compile_check(schema: Any, formats: Mapping[str, Check]) -> Check | None:
    """A predicate true exactly for the instances jsonschema's Draft 2020-12 validator
    accepts, asserting `formats` as its format checker would; None when the schema uses a
    keyword this package does not implement."""
    try:
        return _tiered(schema, formats, compile_closures(schema, formats))
    except Unsupported:
        return None


def _tiered(schema: Any, formats: Mapping[str, Check], closure: Check) -> Check:
    """`closure` for the first `LONG_LIST` instances; from then on the written check (see
    `written`): a check used that often (each event of a poll, each action a worker runs)
    is worth building, one used once or twice (a cold start) is not."""
    state: list[Any] = [closure, 0]

    def check(value: Any) -> bool:
        current = state[0]
        if current is closure:
            state[1] += 1
            if state[1] > LONG_LIST:
                state[0] = current = written(schema, formats)
        return bool(current(value))

    return check


def compile_fast_check(schema: Any, formats: Mapping[str, Check]) -> Check | None:
    """The check of `compile_check`, written as Python source and compiled (see
    `written`): several times faster on each instance, dearer to build. For the items
    of long lists."""
    try:
        compile_closures(schema, formats)  # refuses what is not implemented
        return written(schema, formats)
    except Unsupported:
        return None
