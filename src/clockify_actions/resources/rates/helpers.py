"""A rate in the pack's vocabulary, whichever record carries it."""

from __future__ import annotations

from typing import Any

from clockify_actions.resources.rates.wire import Rate


def rate_output(rate: Rate | None) -> dict[str, Any] | None:
    """`{amount, currency}`, the amount in cents (a whole number as an integer), or None
    when the record has no rate set."""
    if rate is None:
        return None
    amount = rate.amount
    if amount is not None and float(amount).is_integer():
        amount = int(amount)
    return {"amount": amount, "currency": rate.currency}
