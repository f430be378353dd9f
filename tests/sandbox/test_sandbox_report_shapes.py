"""The reports host answers in the shapes of Clockify's recorded report bodies
(docs/clockify-api.md §24.3, §24.4 and their corrections in part 3 of the API
facts, §29.1): the detailed items' keys
and nulls, UTC instants with the local time in the zoned fields when the body names no zone,
the summary's totals row and its rows per grouping, and the weekly report's seven days."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from clockify_actions.sandbox import (
    CLIENT_PROJECT_ID,
    DEMO_API_KEY,
    DEMO_WORKSPACE_ID,
    SAMPLE_PROJECT_ID,
    Sandbox,
)

# The 2023 detailed item of §24.3, verbatim (a real answer, [NOTES23]).
RECORDED_ITEM_2023 = {
    "_id": "63b03060b01ebfad292c61ed",
    "description": "Description",
    "userId": "b4de890ff78038db26859c0a",
    "timeInterval": {
        "start": "2023-08-28T15:48:00+10:00",
        "end": "2023-08-28T18:42:00+10:00",
        "duration": 10440,
    },
    "billable": True,
    "projectId": "97210bf336f73c996f45f6e1",
    "taskId": "863f50306dd734f7f70a5327",
    "tagIds": [],
    "approvalRequestId": None,
    "type": "REGULAR",
    "isLocked": False,
    "amount": 13050,
    "rate": 4500,
    "projectName": "Project",
    "projectColor": "#9C27B0",
    "clientName": "Client",
    "clientId": "4324630bfe76b597e688dbab",
    "taskName": "Consulting",
    "userName": "Luke",
    "userEmail": "email@domain.com",
}
# What 2026 items add (§24.3, §29.1 item 2): the zoned interval and the money fields.
ADDED_2026 = {"earnedAmount", "earnedRate", "costAmount", "costRate", "currency"}
INTERVAL_2026 = {"timeZone", "zonedStart", "zonedEnd", "offStart", "offEnd"}
# The recorded summary totals row of §24.4 / §29.1 item 3 ([TSFIX]).
RECORDED_SUMMARY_TOTALS = {
    "_id": "",
    "totalTime": 7210,
    "totalBillableTime": 7210,
    "entriesCount": 4,
    "numOfCurrencies": 3,
    "totalAmount": 40055.555555555555,
    "amounts": [{"type": "EARNED", "value": 40055.555555555555}],
    "totalAmountByCurrency": [{"currency": "USD", "amount": 40055.555555555555}],
}
RECORDED_PROJECT_ROW = {
    "_id": "000000000000000000000701",
    "name": "Example Project",
    "nameLowerCase": "example project",
    "color": "#5C6BC0",
    "clientName": "",
    "currency": "USD",
    "workspaceCurrencyCode": "USD",
    "duration": 7210,
    "amount": 40055.555555555555,
    "amounts": [{"type": "EARNED", "value": 40056}],
}
WEEK = {"dateRangeStart": "2024-01-15T00:00:00Z", "dateRangeEnd": "2024-01-21T23:59:59Z"}
# The day of the entries these tests add, which holds no seeded entry.
DAY = {"dateRangeStart": "2024-01-16T00:00:00Z", "dateRangeEnd": "2024-01-16T23:59:59Z"}
BASE = f"https://api.clockify.me/api/v1/workspaces/{DEMO_WORKSPACE_ID}"


def _report(sandbox: Sandbox, kind: str, body: dict[str, Any]) -> httpx.Response:
    with httpx.Client(transport=sandbox.transport(), headers={"X-Api-Key": DEMO_API_KEY}) as api:
        return api.post(
            f"https://reports.api.clockify.me/v1/workspaces/{DEMO_WORKSPACE_ID}/reports/{kind}",
            json=body,
        )


def _entry(sandbox: Sandbox, **fields: Any) -> None:
    """An entry on 2024-01-16, 10:00 to 11:00 UTC (11:00 to 12:00 in the demo user's Berlin)."""
    body = {"start": "2024-01-16T10:00:00Z", "end": "2024-01-16T11:00:00Z", **fields}
    with httpx.Client(transport=sandbox.transport(), headers={"X-Api-Key": DEMO_API_KEY}) as api:
        assert api.post(f"{BASE}/time-entries", json=body).status_code == 201


def _items(sandbox: Sandbox, **body: Any) -> list[dict[str, Any]]:
    answer = _report(sandbox, "detailed", {**WEEK, "detailedFilter": {"page": 1}, **body})
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["timeentries"]
    return items


def test_a_detailed_item_has_the_recorded_keys_and_the_2026_additions(sandbox: Sandbox) -> None:
    (item, *_) = _items(sandbox, timeZone="UTC")
    assert set(item) == set(RECORDED_ITEM_2023) | ADDED_2026
    assert set(item["timeInterval"]) == set(RECORDED_ITEM_2023["timeInterval"]) | INTERVAL_2026
    assert item["approvalRequestId"] is None


def test_an_item_without_a_client_has_empty_strings_and_without_a_rate_nulls(
    sandbox: Sandbox,
) -> None:
    # The seeded sample project has no client; the client's project has no rate.
    _entry(sandbox, projectId=SAMPLE_PROJECT_ID, billable=True, description="rated")
    _entry(sandbox, projectId=CLIENT_PROJECT_ID, billable=True, description="unrated")
    items = {item["description"]: item for item in _items(sandbox, timeZone="UTC")}
    assert (items["rated"]["clientName"], items["rated"]["clientId"]) == ("", "")
    assert items["rated"]["amount"] == 5000 and items["rated"]["rate"] == 5000
    assert (items["unrated"]["amount"], items["unrated"]["rate"]) == (None, None)
    assert items["unrated"]["clientName"] == "Acme Corp"


def test_the_totals_say_zero_where_the_items_say_null(sandbox: Sandbox) -> None:
    _entry(sandbox, projectId=CLIENT_PROJECT_ID, billable=True)
    answer = _report(sandbox, "detailed", {**DAY, "timeZone": "UTC", "detailedFilter": {}})
    (totals,) = answer.json()["totals"]
    assert totals["totalAmount"] == 0 and totals["amounts"] == [{"type": "EARNED", "value": 0}]


def test_without_a_time_zone_instants_are_utc_and_the_local_time_is_zoned(
    sandbox: Sandbox,
) -> None:
    # §29.1 item 1: a Europe/Belgrade profile got "start":"…T08:00:00Z" with
    # "zonedStart":"…T10:00:00" and "offStart":7200; the demo user is in Berlin.
    _entry(sandbox, description="zoned")
    (item,) = [i for i in _items(sandbox) if i["description"] == "zoned"]
    assert item["timeInterval"] == {
        "start": "2024-01-16T10:00:00Z",
        "end": "2024-01-16T11:00:00Z",
        "duration": 3600,
        "timeZone": "Europe/Berlin",
        "zonedStart": "2024-01-16T11:00:00",
        "zonedEnd": "2024-01-16T12:00:00",
        "offStart": 3600,
        "offEnd": 3600,
    }
    (named,) = [i for i in _items(sandbox, timeZone="Asia/Kolkata") if i["description"] == "zoned"]
    assert named["timeInterval"]["start"] == "2024-01-16T15:30:00+05:30"
    assert named["timeInterval"]["zonedStart"] == "2024-01-16T15:30:00"


def _summary(sandbox: Sandbox, *groups: str, **body: Any) -> dict[str, Any]:
    filters = {"summaryFilter": {"groups": list(groups)}}
    answer = _report(sandbox, "summary", {**WEEK, "timeZone": "UTC", **filters, **body})
    assert answer.status_code == 200, answer.text
    summary: dict[str, Any] = answer.json()
    return summary


def test_the_summary_totals_row_has_the_recorded_keys(sandbox: Sandbox) -> None:
    _entry(sandbox, projectId=SAMPLE_PROJECT_ID, billable=True)
    (totals,) = _summary(sandbox, "PROJECT", **DAY)["totals"]
    assert list(totals) == list(RECORDED_SUMMARY_TOTALS)
    assert totals["numOfCurrencies"] == 1
    assert totals["totalAmountByCurrency"] == [{"currency": "USD", "amount": 5000}]
    (row,) = [r for r in _summary(sandbox, "PROJECT")["groupOne"] if r["_id"]]
    assert list(row) == list(RECORDED_PROJECT_ROW)


def test_when_nothing_earns_the_summary_totals_are_null_empty_and_an_object(
    sandbox: Sandbox,
) -> None:
    _entry(sandbox, projectId=SAMPLE_PROJECT_ID, billable=False)
    (totals,) = _summary(sandbox, "PROJECT", **DAY)["totals"]
    assert totals["totalAmount"] is None
    assert totals["amounts"] == []
    assert totals["totalAmountByCurrency"] == {}


def test_summary_rows_differ_by_grouping_as_recorded(sandbox: Sandbox) -> None:
    (day,) = _summary(sandbox, "DATE")["groupOne"]
    assert set(day) == {"duration", "_id", "name", "amounts"}
    (user,) = _summary(sandbox, "USER")["groupOne"]
    assert set(user) == {
        "duration",
        "_id",
        "name",
        "amounts",
        "hasMembership",
        "nameLowerCase",
        "sortingField",
    }
    assert user["sortingField"] == "1-name"
    (nested,) = _summary(sandbox, "DATE", "USER")["groupOne"]
    assert set(nested) == {"duration", "_id", "name", "amounts", "children"}


def test_grouping_by_time_entry_answers_with_an_object_id(sandbox: Sandbox) -> None:
    (row,) = _summary(sandbox, "TIMEENTRY")["groupOne"]
    assert set(row["_id"]) == {"DATE", "USER", "TIMEENTRY"}
    assert row["_id"]["DATE"] == "2024-01-15"
    for group in ("WEEK", "MONTH"):
        assert _summary(sandbox, group)["groupOne"]


@pytest.mark.parametrize(
    "end", ["2024-01-21T23:59:59Z", "2024-01-21T23:59:59.999Z", "2024-01-22T00:00:00Z"]
)
def test_the_weekly_report_takes_one_week_in_either_form(sandbox: Sandbox, end: str) -> None:
    body = {**WEEK, "dateRangeEnd": end, "weeklyFilter": {"group": "USER"}}
    answer = _report(sandbox, "weekly", body)
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert set(report) == {
        "decimalFormat",
        "groupOne",
        "includeUsersWithoutTime",
        "totals",
        "totalsByDay",
        "trackTimeDownToSeconds",
        "usersWithoutTime",
    }
    days = [day["date"] for day in report["totalsByDay"]]
    assert days == [f"2024-01-{day}" for day in range(15, 22)]
    assert isinstance(report["totals"], list)


@pytest.mark.parametrize("days", [6, 8, 14, 31])
def test_the_weekly_report_refuses_any_other_range(sandbox: Sandbox, days: int) -> None:
    body = {
        "dateRangeStart": "2024-01-01T00:00:00Z",
        "dateRangeEnd": (datetime(2024, 1, 1) + timedelta(days=days)).isoformat() + "Z",
        "weeklyFilter": {"group": "PROJECT"},
    }
    answer = _report(sandbox, "weekly", body)
    assert (answer.status_code, answer.json()) == (
        400,
        {"message": "Please select date range of exactly 7 days for weekly report", "code": 501},
    )
