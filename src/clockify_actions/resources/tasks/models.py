"""Clockify's task, as far as the pack reads it."""

from __future__ import annotations

from pydantic import Field

from clockify_actions.clockify.models import Wire
from clockify_actions.resources.rates.models import Rate


class Task(Wire):
    """A project's task (docs/clockify-api.md §17.1): what a replacing PUT must send back
    (assignees, user groups, budget and estimate), and its rates, null until set."""

    id: str
    name: str
    project_id: str | None = Field(default=None, alias="projectId")
    status: str | None = None
    billable: bool | None = None
    estimate: str | None = None
    assignee_ids: list[str] | None = Field(default=None, alias="assigneeIds")
    user_group_ids: list[str] | None = Field(default=None, alias="userGroupIds")
    budget_estimate: int | None = Field(default=None, alias="budgetEstimate")
    hourly_rate: Rate | None = Field(default=None, alias="hourlyRate")
    cost_rate: Rate | None = Field(default=None, alias="costRate")
