"""Clockify's time off as the pack reads it: policies, requests and balances
(docs/clockify-api.md, "Time off")."""

from __future__ import annotations

from pydantic import Field

from clockify_actions.clockify.models import Wire


class PolicyApproval(Wire):
    """Who approves a policy's requests (`approve`)."""

    requires_approval: bool = Field(default=False, alias="requiresApproval")
    team_managers: bool = Field(default=False, alias="teamManagers")
    specific_members: bool = Field(default=False, alias="specificMembers")
    user_ids: list[str] = Field(default_factory=list, alias="userIds")


class NegativeBalance(Wire):
    """How far below zero a policy lets a balance go (`negativeBalance`)."""

    amount: float | None = None
    period: str | None = None
    should_reset: bool | None = Field(default=None, alias="shouldReset")
    time_unit: str | None = Field(default=None, alias="timeUnit")


class AutomaticAccrual(Wire):
    amount: float | None = None
    period: str | None = None
    time_unit: str | None = Field(default=None, alias="timeUnit")


class DefaultEntities(Wire):
    project_id: str | None = Field(default=None, alias="projectId")
    task_id: str | None = Field(default=None, alias="taskId")


class AutomaticTimeEntryCreation(Wire):
    enabled: bool = False
    default_entities: DefaultEntities | None = Field(default=None, alias="defaultEntities")


class TimeOffPolicy(Wire):
    """A time-off policy as `GET /time-off/policies` sends it (assignees read flat as
    `userIds`/`userGroupIds`, though they are written as filters)."""

    id: str
    name: str
    workspace_id: str | None = Field(default=None, alias="workspaceId")
    time_unit: str = Field(default="DAYS", alias="timeUnit")
    archived: bool = False
    allow_half_day: bool = Field(default=False, alias="allowHalfDay")
    allow_negative_balance: bool = Field(default=False, alias="allowNegativeBalance")
    negative_balance: NegativeBalance | None = Field(default=None, alias="negativeBalance")
    everyone_including_new: bool = Field(default=False, alias="everyoneIncludingNew")
    user_ids: list[str] = Field(default_factory=list, alias="userIds")
    user_group_ids: list[str] = Field(default_factory=list, alias="userGroupIds")
    approve: PolicyApproval | None = None
    automatic_accrual: AutomaticAccrual | None = Field(default=None, alias="automaticAccrual")
    automatic_time_entry_creation: AutomaticTimeEntryCreation | None = Field(
        default=None, alias="automaticTimeEntryCreation"
    )


class TimeOffPeriodSpan(Wire):
    start: str | None = None
    end: str | None = None


class TimeOffPeriod(Wire):
    period: TimeOffPeriodSpan | None = None
    half_day: bool = Field(default=False, alias="halfDay")
    half_day_period: str | None = Field(default=None, alias="halfDayPeriod")


class TimeOffRequestStatus(Wire):
    status_type: str = Field(alias="statusType")
    changed_by_user_id: str | None = Field(default=None, alias="changedByUserId")
    changed_by_user_name: str | None = Field(default=None, alias="changedByUserName")
    changed_at: str | None = Field(default=None, alias="changedAt")
    note: str | None = None


class TimeOffRequest(Wire):
    """A time-off request: the full item of the search and of create, or the shorter one
    the status change and the delete answer with (no names, no `balance`)."""

    id: str
    workspace_id: str | None = Field(default=None, alias="workspaceId")
    policy_id: str = Field(alias="policyId")
    policy_name: str | None = Field(default=None, alias="policyName")
    time_unit: str | None = Field(default=None, alias="timeUnit")
    user_id: str = Field(alias="userId")
    user_name: str | None = Field(default=None, alias="userName")
    user_time_zone: str | None = Field(default=None, alias="userTimeZone")
    time_off_period: TimeOffPeriod | None = Field(default=None, alias="timeOffPeriod")
    note: str | None = None
    status: TimeOffRequestStatus
    balance_diff: float | None = Field(default=None, alias="balanceDiff")
    balance: float | None = None
    created_at: str | None = Field(default=None, alias="createdAt")
    requester_user_id: str | None = Field(default=None, alias="requesterUserId")


class TimeOffRequests(Wire):
    """One page of `POST /time-off/requests`: `count` is the whole match, `requests` the page."""

    count: int
    requests: list[TimeOffRequest]


class TimeOffBalance(Wire):
    """One user's balance on one policy."""

    id: str | None = None
    policy_id: str = Field(alias="policyId")
    policy_name: str | None = Field(default=None, alias="policyName")
    policy_time_unit: str | None = Field(default=None, alias="policyTimeUnit")
    policy_archived: bool = Field(default=False, alias="policyArchived")
    user_id: str = Field(alias="userId")
    user_name: str | None = Field(default=None, alias="userName")
    balance: float
    used: float | None = None
    total: float | None = None
    negative_balance_amount: float | None = Field(default=None, alias="negativeBalanceAmount")
    negative_balance_limit: bool | None = Field(default=None, alias="negativeBalanceLimit")
    negative_balance_used: float | None = Field(default=None, alias="negativeBalanceUsed")


class TimeOffBalances(Wire):
    """One page of a balance list: `count` is the whole match, `balances` the page."""

    balances: list[TimeOffBalance]
    count: int
