"""Clockify's user, as `GET /user` and a workspace's member list send it."""

from __future__ import annotations

from pydantic import Field

from clockify_actions.clockify.models import Wire


class UserSettings(Wire):
    time_zone: str | None = Field(default=None, alias="timeZone")


class User(Wire):
    id: str
    name: str | None = None
    email: str | None = None
    active_workspace: str | None = Field(default=None, alias="activeWorkspace")
    default_workspace: str | None = Field(default=None, alias="defaultWorkspace")
    settings: UserSettings | None = None
    status: str | None = None
