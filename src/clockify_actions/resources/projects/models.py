"""Clockify's project, as far as the pack reads it."""

from __future__ import annotations

from pydantic import Field

from clockify_actions.clockify.models import Wire
from clockify_actions.resources.rates.models import Membership, Rate


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


class TimeEstimate(Wire):
    """A project's time estimate (docs/clockify-api.md §19.9): an ISO duration."""

    estimate: str | None = None
    type: str | None = None
    reset_option: str | None = Field(default=None, alias="resetOption")
    active: bool | None = None
    include_non_billable: bool | None = Field(default=None, alias="includeNonBillable")


class BudgetEstimate(Wire):
    """A project's budget (docs/clockify-api.md §19.9): `estimate` in cents."""

    estimate: float | None = None
    type: str | None = None
    reset_option: str | None = Field(default=None, alias="resetOption")
    active: bool | None = None
    include_expenses: bool | None = Field(default=None, alias="includeExpenses")


class ProjectDetail(Project):
    """A project with what its money and planning actions read: its rates, its members and
    theirs, its estimates and whether it is a template."""

    hourly_rate: Rate | None = Field(default=None, alias="hourlyRate")
    cost_rate: Rate | None = Field(default=None, alias="costRate")
    memberships: list[Membership] | None = None
    time_estimate: TimeEstimate | None = Field(default=None, alias="timeEstimate")
    # The legacy `{estimate, type}`, which mirrors the time estimate (§19.9).
    estimate: TimeEstimate | None = None
    budget_estimate: BudgetEstimate | None = Field(default=None, alias="budgetEstimate")
    template: bool | None = None
