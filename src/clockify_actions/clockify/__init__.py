"""A small Clockify REST client: regions, retries, pacing, error mapping, the wire objects' base.

It knows Clockify's HTTP API and nothing of the pack's manifests or actions.
"""

from clockify_actions.clockify.client import (
    ClientSettings,
    ClockifyClient,
    DryRun,
    RequestLimiter,
    base_url_for,
    reports_base_url_for,
)
from clockify_actions.clockify.retry import RetrySettings

__all__ = [
    "ClientSettings",
    "ClockifyClient",
    "DryRun",
    "RequestLimiter",
    "RetrySettings",
    "base_url_for",
    "reports_base_url_for",
]
