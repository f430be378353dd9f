"""Clockify's client, as far as the pack reads it."""

from __future__ import annotations

from pydantic import Field

from clockify_actions.clockify.models import Wire


class Client(Wire):
    """A workspace's client (docs/clockify-api.md §15.1): `email`, `address`, `note` and
    `ccEmails` are null when unset."""

    id: str
    name: str
    workspace_id: str | None = Field(default=None, alias="workspaceId")
    archived: bool = False
    email: str | None = None
    address: str | None = None
    note: str | None = None
    cc_emails: list[str] | None = Field(default=None, alias="ccEmails")
