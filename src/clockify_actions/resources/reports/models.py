"""The summary and detailed reports, as the reports host sends them."""

from __future__ import annotations

from pydantic import Field

from clockify_actions.clockify.models import Wire


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
