"""Clockify's wire objects, as much of them as the pack reads.

Unknown fields are ignored and optional fields accept null, so that a field Clockify
adds or leaves empty never breaks a run; only what an action truly needs is required.
"""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, StrictInt


class Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)


class ErrorBody(Wire):
    """Clockify's error body. Old answers said `description` instead of `message`."""

    message: str | None = Field(
        default=None, validation_alias=AliasChoices("message", "description")
    )
    code: StrictInt | None = None


class Workspace(Wire):
    id: str
    name: str


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


class TimeInterval(Wire):
    start: str
    end: str | None = None
    duration: str | None = None


class TimeEntry(Wire):
    id: str
    description: str | None = None
    user_id: str | None = Field(default=None, alias="userId")
    project_id: str | None = Field(default=None, alias="projectId")
    workspace_id: str | None = Field(default=None, alias="workspaceId")
    billable: bool | None = None
    time_interval: TimeInterval = Field(alias="timeInterval")


class Rate(Wire):
    """An hourly or cost rate: `amount` in the currency's cents."""

    amount: float | None = None
    currency: str | None = None


class Named(Wire):
    """A project, task or tag as a hydrated time entry nests it; only its name is read."""

    id: str | None = None
    name: str | None = None


class CustomFieldValue(Wire):
    custom_field_id: str = Field(alias="customFieldId")
    value: object = None


class TimeEntryDetail(TimeEntry):
    """A time entry as GET and the list send it (`TimeEntryWithRatesDtoV1`); the rates are
    absent from a PUT's answer, and the nested objects come only with `hydrated=true`."""

    task_id: str | None = Field(default=None, alias="taskId")
    tag_ids: list[str] | None = Field(default=None, alias="tagIds")
    type: str | None = None
    hourly_rate: Rate | None = Field(default=None, alias="hourlyRate")
    cost_rate: Rate | None = Field(default=None, alias="costRate")
    custom_field_values: list[CustomFieldValue] | None = Field(
        default=None, alias="customFieldValues"
    )
    project: Named | None = None
    task: Named | None = None
    tags: list[Named] | None = None


class AuditMetadata(Wire):
    created_at: str | None = Field(default=None, alias="createdAt")
    updated_at: str | None = Field(default=None, alias="updatedAt")


class Entity(BaseModel):
    """A Clockify entity of any type with every field kept (`fields()`), such as an item
    of the change-tracking routes (`/entities/created`, `/entities/updated`), which adds
    when it was created and last updated."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, frozen=True)

    id: str
    audit_metadata: AuditMetadata | None = Field(default=None, alias="auditMetadata")

    def fields(self) -> dict[str, Any]:
        return {"id": self.id, **(self.model_extra or {})}


class DeletedEntity(Wire):
    """An item of `/entities/deleted`: a sparse record of what was deleted, and when."""

    id: str
    deleted_at: str | None = Field(default=None, alias="deletedAt")


class Webhook(Wire):
    """`WebhookDtoV1` (docs/clockify-api.md §21)."""

    id: str
    name: str | None = None
    url: str
    webhook_event: str = Field(alias="webhookEvent")
    trigger_source_type: str | None = Field(default=None, alias="triggerSourceType")
    trigger_source: list[str] | None = Field(default=None, alias="triggerSource")
    auth_token: str | None = Field(default=None, alias="authToken")
    enabled: bool | None = None
    delivery_enabled: bool | None = Field(default=None, alias="deliveryEnabled")
    plan_enabled: bool | None = Field(default=None, alias="planEnabled")
    workspace_id: str | None = Field(default=None, alias="workspaceId")
    user_id: str | None = Field(default=None, alias="userId")


class Webhooks(Wire):
    """`GET /webhooks`: an object, not an array, and not paginated (§21)."""

    workspace_webhook_count: int | None = Field(default=None, alias="workspaceWebhookCount")
    webhooks: list[Webhook]


class Client(Wire):
    """A workspace's client (docs/clockify-api.md §15.1): `email`, `address` and `note`
    are null when unset."""

    id: str
    name: str
    workspace_id: str | None = Field(default=None, alias="workspaceId")
    archived: bool = False
    email: str | None = None
    address: str | None = None
    note: str | None = None


class Tag(Wire):
    """A workspace's tag: exactly `id, name, archived, workspaceId` (docs/clockify-api.md §16.1)."""

    id: str
    name: str
    workspace_id: str | None = Field(default=None, alias="workspaceId")
    archived: bool = False


class ReportTotals(Wire):
    """A report's `totals[0]` (docs/clockify-api.md §24.3): seconds and money in cents."""

    total_time: int = Field(default=0, alias="totalTime")
    total_billable_time: int = Field(default=0, alias="totalBillableTime")
    entries_count: int = Field(default=0, alias="entriesCount")
    total_amount: float | None = Field(default=None, alias="totalAmount")


class ReportAmount(Wire):
    """One of a report row's `amounts`: `{"type": "EARNED", "value": 13050}`, in cents."""

    type: str | None = None
    value: float | None = None


class SummaryGroup(Wire):
    """One group of a summary report, with the next level's groups in `children`. DATE and
    USER rows carry no `amount`, only `amounts` (Clockify's API facts, part 3, §29.1 item 3)."""

    id: str = Field(default="", alias="_id")
    name: str | None = None
    duration: int = 0
    amount: float | None = None
    amounts: list[ReportAmount] = Field(default_factory=list)
    children: list[SummaryGroup] = Field(default_factory=list)

    def earned(self) -> float | None:
        """The amount earned: `amount`, else the EARNED entry of `amounts`."""
        if self.amount is not None:
            return self.amount
        return next((a.value for a in self.amounts if a.type == "EARNED"), None)


class SummaryReport(Wire):
    # An empty report's totals may be [null] (§24.3).
    totals: list[ReportTotals | None] = Field(default_factory=list)
    group_one: list[SummaryGroup] = Field(default_factory=list, alias="groupOne")


class ReportInterval(Wire):
    start: str
    end: str | None = None
    duration: int | None = None


class DetailedEntry(Wire):
    """A time entry as the detailed report sends it: `_id`, integer seconds, instants with
    the offset of the request's zone, names beside ids (§24.3)."""

    id: str = Field(alias="_id")
    description: str | None = None
    user_id: str | None = Field(default=None, alias="userId")
    user_name: str | None = Field(default=None, alias="userName")
    project_id: str | None = Field(default=None, alias="projectId")
    project_name: str | None = Field(default=None, alias="projectName")
    client_id: str | None = Field(default=None, alias="clientId")
    client_name: str | None = Field(default=None, alias="clientName")
    task_id: str | None = Field(default=None, alias="taskId")
    task_name: str | None = Field(default=None, alias="taskName")
    tag_ids: list[str] | None = Field(default=None, alias="tagIds")
    billable: bool | None = None
    amount: float | None = None
    time_interval: ReportInterval = Field(alias="timeInterval")


class DetailedReport(Wire):
    totals: list[ReportTotals | None] = Field(default_factory=list)
    entries: list[DetailedEntry] = Field(default_factory=list, alias="timeentries")


class Task(Wire):
    """A project's task (docs/clockify-api.md §17.1)."""

    id: str
    name: str
    project_id: str | None = Field(default=None, alias="projectId")
    status: str | None = None
    billable: bool | None = None
    estimate: str | None = None


class WorkspaceSettings(Wire):
    """The settings a workflow checks before writing (docs/clockify-api.md §14)."""

    force_projects: bool | None = Field(default=None, alias="forceProjects")
    force_tasks: bool | None = Field(default=None, alias="forceTasks")
    force_tags: bool | None = Field(default=None, alias="forceTags")
    force_description: bool | None = Field(default=None, alias="forceDescription")
    default_billable_projects: bool | None = Field(default=None, alias="defaultBillableProjects")
    project_public_by_default: bool | None = Field(default=None, alias="isProjectPublicByDefault")
    only_admins_create_project: bool | None = Field(default=None, alias="onlyAdminsCreateProject")
    only_admins_create_tag: bool | None = Field(default=None, alias="onlyAdminsCreateTag")
    only_admins_create_task: bool | None = Field(default=None, alias="onlyAdminsCreateTask")


class WorkspaceDetail(Workspace):
    """One workspace as `GET /workspaces/{id}` sends it, as far as the pack reads it."""

    hourly_rate: Rate | None = Field(default=None, alias="hourlyRate")
    settings: WorkspaceSettings | None = Field(default=None, alias="workspaceSettings")
    subscription: str | None = Field(default=None, alias="featureSubscriptionType")
