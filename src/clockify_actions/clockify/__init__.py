"""A small Clockify REST client: retries, pacing, error mapping, wire models.

It knows Clockify's HTTP API and nothing of the pack: its manifests, its actions, its
connection settings (regions and roots are `runtime.connection`'s) or its version (the
user agent comes in its settings).
"""

from clockify_actions.clockify.client import ClockifyClient
from clockify_actions.clockify.forms import Form, FormFile
from clockify_actions.clockify.retry import RetrySettings
from clockify_actions.clockify.settings import ClientSettings, DryRun, RequestLimiter

__all__ = [
    "ClientSettings",
    "ClockifyClient",
    "DryRun",
    "Form",
    "FormFile",
    "RequestLimiter",
    "RetrySettings",
]
