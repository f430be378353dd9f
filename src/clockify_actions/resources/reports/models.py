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


class WeeklyDay(Wire):
    """One day of a weekly report row, or of its `totalsByDay` (the spec's
    `DailyTotalDto`: the rows' shape was never quoted live, Clockify's API facts, part 3,
    §35.10): seconds and cents."""

    date: str
    duration: float = 0.0
    amount: float | None = None


class WeeklyRow(Wire):
    """One user or project of a weekly report (the spec's `GroupOneDto`)."""

    id: str | None = None
    name: str | None = None
    duration: float = 0.0
    amount: float | None = None
    days: list[WeeklyDay] = Field(default_factory=list)


class WeeklyReport(Wire):
    """`TimeEntryWeeklyReportDto`: its `totals` an array, as the other reports' (§29.1)."""

    totals: list[ReportTotals | None] = Field(default_factory=list)
    group_one: list[WeeklyRow] = Field(default_factory=list, alias="groupOne")
    totals_by_day: list[WeeklyDay] = Field(default_factory=list, alias="totalsByDay")


class AttendanceRow(Wire):
    """One member's day in the attendance report, with the live keys (`zonedStart`, not
    the spec's `startTime`: Clockify's API facts, part 3, §35.11): seconds, local times."""

    user_id: str = Field(alias="userId")
    user_name: str | None = Field(default=None, alias="userName")
    date: str
    zoned_start: str | None = Field(default=None, alias="zonedStart")
    zoned_end: str | None = Field(default=None, alias="zonedEnd")
    total_duration: int = Field(default=0, alias="totalDuration")
    capacity: int | None = None
    remaining_capacity: int | None = Field(default=None, alias="remainingCapacity")
    overtime: int | None = None
    break_: int | None = Field(default=None, alias="break")
    time_off: int | None = Field(default=None, alias="timeOff")
    has_running_entry: bool | None = Field(default=None, alias="hasRunningEntry")


class AttendanceReport(Wire):
    """`{"entities": […], "totals": {…}}`: the totals an object, whose keys were never
    recorded (§35.11), so they are not read."""

    entities: list[AttendanceRow] = Field(default_factory=list)


class SharedReportFilter(Wire):
    """The saved report filter of a shared report: only its date range is read."""

    date_range_start: str | None = Field(default=None, alias="dateRangeStart")
    date_range_end: str | None = Field(default=None, alias="dateRangeEnd")


class SharedReport(Wire):
    """A shared report as saving or changing it answers (Clockify's API facts, part 3,
    §35.12): its settings and saved `filter`, not its data."""

    id: str
    workspace_id: str | None = Field(default=None, alias="workspaceId")
    user_id: str | None = Field(default=None, alias="userId")
    name: str
    type: str | None = None
    is_public: bool | None = Field(default=None, alias="isPublic")
    fixed_date: bool | None = Field(default=None, alias="fixedDate")
    visible_to_users: list[str] = Field(default_factory=list, alias="visibleToUsers")
    visible_to_user_groups: list[str] = Field(default_factory=list, alias="visibleToUserGroups")
    filter: SharedReportFilter | None = None


class SharedReportUser(Wire):
    id: str
    name: str | None = None


class SharedReportListed(Wire):
    """A shared report as the list shows it: its author's name and its link."""

    id: str
    name: str
    type: str | None = None
    link: str | None = None
    report_author: str | None = Field(default=None, alias="reportAuthor")
    is_public: bool | None = Field(default=None, alias="isPublic")
    fixed_date: bool | None = Field(default=None, alias="fixedDate")
    visible_to_users: list[SharedReportUser] = Field(default_factory=list, alias="visibleToUsers")


class SharedReports(Wire):
    """`{"reports": […], "count": N}`: `count` is every match, not the page's."""

    reports: list[SharedReportListed] = Field(default_factory=list)
    count: int = 0


class RenderedSharedReport(Wire):
    """`GET /shared-reports/{id}`: the report's data, with the saved report under
    `filters` (a SUMMARY's, as recorded live)."""

    totals: list[ReportTotals | None] = Field(default_factory=list)
    group_one: list[SummaryGroup] = Field(default_factory=list, alias="groupOne")
    filters: SharedReport
