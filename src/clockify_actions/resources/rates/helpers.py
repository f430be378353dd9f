"""Rates in the pack's output vocabulary, and the one body every rate write sends
(docs/clockify-api.md §19.8): amounts are integer cents of the workspace's currency, and
`since`, when given, is the moment from which the rate applies."""

from __future__ import annotations

from typing import Any

from clockify_actions.resources.rates.wire import Membership, Rate
from clockify_actions.timeutil import parse_timestamp, to_wire


def cents(amount: float | None) -> float | int | None:
    """An amount as Clockify sent it: a whole number of cents as an integer."""
    if amount is None:
        return None
    return int(amount) if float(amount).is_integer() else amount


def rate_output(rate: Rate | None) -> dict[str, Any] | None:
    if rate is None:
        return None
    return {"amount": cents(rate.amount), "currency": rate.currency}


def member_output(membership: Membership) -> dict[str, Any]:
    return {
        "user_id": membership.user_id,
        "hourly_rate": rate_output(membership.hourly_rate),
        "cost_rate": rate_output(membership.cost_rate),
    }


def rate_body(amount: int, since: str | None) -> dict[str, Any]:
    """`{amount, since?}`, `since` in Clockify's `yyyy-MM-ddThh:mm:ssZ`: without it the rate
    LIKELY applies to all time."""
    body: dict[str, Any] = {"amount": amount}
    if since is not None:
        body["since"] = to_wire(parse_timestamp(since))
    return body
