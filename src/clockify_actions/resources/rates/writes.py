"""Rate writes (docs/clockify-api.md §19.8): one PUT per rate, an hourly and a cost rate
being two routes. A run that sets both sends two; if the second fails after the first was
accepted, the error says which was set, and that the run was applied in part."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from clockify_actions.errors import ActionError
from clockify_actions.resources.common.helpers import applied

Answer = TypeVar("Answer")

# The rates an action may set, by input name, and the route's last segment for each.
RATE_ROUTES = {"hourly_rate": "hourly-rate", "cost_rate": "cost-rate"}
_NAMES = {"hourly_rate": "hourly rate", "cost_rate": "cost rate"}


def put_rates(
    params: dict[str, Any], put: Callable[[str, str], tuple[Answer, int]]
) -> tuple[Answer, int]:
    """Each rate `params` gives, in the order hourly then cost, through `put(input name,
    route segment)`, which returns Clockify's answer and the writes it sent; the last answer
    and every write sent."""
    given = [name for name in RATE_ROUTES if name in params]
    writes = 0
    answer: Answer | None = None
    for name in given:
        try:
            answer, sent = put(name, RATE_ROUTES[name])
        except ActionError as error:
            if writes == 0:
                raise
            done = _NAMES[given[0]]
            raise applied(
                error.reworded(
                    f"The {done} was set, but setting the {_NAMES[name]} failed: "
                    f"{error.message} Set the {_NAMES[name]} again on its own."
                ),
                writes,
            ) from error
        writes += sent
    if answer is None:
        raise ValueError("put_rates needs at least one rate")
    return answer, writes
