"""Clockify's task, as far as the pack reads it."""

from __future__ import annotations

from pydantic import Field

from clockify_actions.clockify.models import Wire


class Task(Wire):
    """A project's task (docs/clockify-api.md §17.1)."""

    id: str
    name: str
    project_id: str | None = Field(default=None, alias="projectId")
    status: str | None = None
    billable: bool | None = None
    estimate: str | None = None
