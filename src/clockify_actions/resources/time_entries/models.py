"""Clockify's time entry: as a write answers it, and as GET and the list send it."""

from __future__ import annotations

from pydantic import Field

from clockify_actions.clockify.models import Wire
from clockify_actions.resources.common.models import CustomFieldValue, Named
from clockify_actions.resources.rates.models import Rate


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
    task_id: str | None = Field(default=None, alias="taskId")
    tag_ids: list[str] | None = Field(default=None, alias="tagIds")


class TimeEntryDetail(TimeEntry):
    """A time entry as GET and the list send it (`TimeEntryWithRatesDtoV1`); the rates are
    absent from a PUT's answer, and the nested objects come only with `hydrated=true`."""

    type: str | None = None
    hourly_rate: Rate | None = Field(default=None, alias="hourlyRate")
    cost_rate: Rate | None = Field(default=None, alias="costRate")
    custom_field_values: list[CustomFieldValue] | None = Field(
        default=None, alias="customFieldValues"
    )
    project: Named | None = None
    task: Named | None = None
    tags: list[Named] | None = None
