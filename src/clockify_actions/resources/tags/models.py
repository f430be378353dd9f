"""Clockify's tag."""

from __future__ import annotations

from pydantic import Field

from clockify_actions.clockify.models import Wire


class Tag(Wire):
    """A workspace's tag: exactly `id, name, archived, workspaceId` (docs/clockify-api.md §16.1)."""

    id: str
    name: str
    workspace_id: str | None = Field(default=None, alias="workspaceId")
    archived: bool = False
