"""Clockify's workspace, as the list and `GET /workspaces/{id}` send it."""

from __future__ import annotations

from pydantic import Field

from clockify_actions.clockify.models import Wire
from clockify_actions.resources.rates.models import Rate


class Workspace(Wire):
    id: str
    name: str


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
