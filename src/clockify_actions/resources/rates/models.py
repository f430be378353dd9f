"""Clockify's rate, as a workspace and a time entry carry it."""

from __future__ import annotations

from clockify_actions.clockify.models import Wire


class Rate(Wire):
    """An hourly or cost rate: `amount` in the currency's cents."""

    amount: float | None = None
    currency: str | None = None
