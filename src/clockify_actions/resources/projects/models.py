"""Clockify's project, as far as the pack reads it."""

from __future__ import annotations

from pydantic import Field

from clockify_actions.clockify.models import Wire


class Project(Wire):
    id: str
    name: str
    workspace_id: str | None = Field(default=None, alias="workspaceId")
    client_id: str | None = Field(default=None, alias="clientId")
    client_name: str | None = Field(default=None, alias="clientName")
    archived: bool = False
    billable: bool | None = None
    public: bool | None = None
    color: str | None = None
