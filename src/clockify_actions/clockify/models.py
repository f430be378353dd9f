"""Clockify's wire objects, as much of them as the pack reads.

Unknown fields are ignored and optional fields accept null, so that a field Clockify
adds or leaves empty never breaks a run; only what an action truly needs is required.
"""

from __future__ import annotations

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
