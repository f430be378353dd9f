"""Query parameters: those Spring binds one by one (not into a filter object), with its
conversion refusal: 400, code 3000, the parameter named and the value echoed
(docs/clockify-api.md §25.1); the enum and boolean parameters each route declares
(`Route.enums`, `Route.flags`), checked before any handler runs; and paging over documents
filtered here.
"""

from __future__ import annotations

from collections.abc import Sequence

from ._call import Call
from ._errors import ApiError
from ._http import Response
from ._resources import Route

_TRUE = {"true", "on", "yes", "1"}
_FALSE = {"false", "off", "no", "0"}

SORT_ORDERS = ("ASCENDING", "DESCENDING")
MEMBERSHIP_STATUSES = ("PENDING", "ACTIVE", "DECLINED", "INACTIVE", "ALL")
# The enum parameters that take a list: Spring splits a comma-joined value.
_LISTS = frozenset({"roles", "statuses"})


def check_query(route: Route, query: dict[str, list[str]]) -> None:
    """Refuse an enum parameter outside its set, as the recorded refusal of one bound into a
    filter object words it (§25.3, and "must be from the following set: ID, NAME" for
    `/tags`, §16.1): 400, code 501. That routes binding one by one word it the same way is
    INFERRED (their enum message was never recorded). An empty value counts as absent."""
    for name, allowed in route.enums.items():
        for raw in query.get(name, []):
            for value in filter(None, raw.split(",") if name in _LISTS else [raw]):
                if value not in allowed:
                    raise ApiError(
                        400,
                        f"You entered invalid value for field: [{name}]. This field can be empty"
                        f" and can be null. Make sure that every value representing: [{name}]"
                        f" must be from the following set: {', '.join(allowed)}.",
                        501,
                    )
    for name in route.flags:
        for raw in query.get(name, []):
            if raw and raw.lower() not in _TRUE | _FALSE:
                raise _refused(name, "java.lang.Boolean", f"Invalid boolean value [{raw}]")


def _refused(name: str, java_type: str, cause: str) -> ApiError:
    return ApiError(
        400,
        f"Method parameter '{name}': Failed to convert value of type 'java.lang.String' to"
        f" required type '{java_type}'; {cause}",
        3000,
    )


def flag(call: Call, name: str) -> bool | None:
    """A boolean parameter; None when absent or empty."""
    raw = call.text(name)
    if not raw:
        return None
    if raw.lower() not in _TRUE | _FALSE:
        raise _refused(name, "java.lang.Boolean", f"Invalid boolean value [{raw}]")
    return raw.lower() in _TRUE


def integer(call: Call, name: str, default: int) -> int:
    """An int parameter; `default` when absent or empty."""
    raw = call.text(name)
    digits = (raw or "").removeprefix("-").removeprefix("+")
    if raw and not (digits.isascii() and digits.isdigit() and -(2**31) <= int(raw) < 2**31):
        raise _refused(name, "int", f'For input string: "{raw}"')
    return int(raw) if raw else default


def page(call: Call, default_size: int = 50, max_size: int = 5000) -> tuple[int, int]:
    """`page` and `page-size`, refused as Spring refuses a non-integer, then range-checked
    as every list checks them."""
    for name in ("page", "page-size"):
        integer(call, name, 0)
    return call.page(default_size, max_size)


def paged_docs(
    docs: Sequence[str], number: int, size: int, headers: dict[str, str] | None = None
) -> Response:
    """One page of documents already filtered and ordered, with Clockify's `Last-Page`."""
    start = (number - 1) * size
    chosen = docs[start : start + size]
    last = "true" if start + size >= len(docs) else "false"
    return Response.json(200, f"[{','.join(chosen)}]", {"Last-Page": last, **(headers or {})})
