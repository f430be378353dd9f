"""Clockify's rate, as a workspace, a project, a membership and a time entry carry it, and
the documents a rate write answers with (docs/clockify-api.md §19.8)."""

from __future__ import annotations

from pydantic import Field

from clockify_actions.clockify.models import Wire


class Rate(Wire):
    """An hourly or cost rate: `amount` in the currency's cents."""

    amount: float | None = None
    currency: str | None = None


class Membership(Wire):
    """A user's membership of a workspace or a project, with their rates there (`null`
    until set)."""

    user_id: str = Field(alias="userId")
    target_id: str | None = Field(default=None, alias="targetId")
    membership_type: str | None = Field(default=None, alias="membershipType")
    membership_status: str | None = Field(default=None, alias="membershipStatus")
    hourly_rate: Rate | None = Field(default=None, alias="hourlyRate")
    cost_rate: Rate | None = Field(default=None, alias="costRate")


class RatedWorkspace(Wire):
    """A workspace as a rate write answers it (`WorkspaceDtoV1`): its own rates and its
    members'."""

    id: str
    name: str | None = None
    hourly_rate: Rate | None = Field(default=None, alias="hourlyRate")
    cost_rate: Rate | None = Field(default=None, alias="costRate")
    memberships: list[Membership] | None = None
