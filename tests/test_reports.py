"""Summary and detailed reports against the sandbox: totals that equal the sum of the
listed entries in any zone, every filter and grouping, what is refused before anything
is sent, and the fixtures' totals beside the list's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from clockify_actions import Pack
from clockify_actions.clockify import ClientSettings, RetrySettings
from clockify_actions.contract.model import read_yaml
from clockify_actions.sandbox import (
    DEMO_API_KEY,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    DESIGN_TASK_ID,
    MEETING_TAG_ID,
    SAMPLE_PROJECT_ID,
    URGENT_TAG_ID,
    Sandbox,
)
from clockify_actions.timeutil import to_wire

FAST = ClientSettings(requests_per_second=None, retry=RetrySettings(max_attempts=1))
ROOT = Path(__file__).resolve().parents[1]
CLIENT_PROJECT_ID = "64b7c0de5eed000000000d02"  # Website Redesign, of the client Acme Corp
ACME_CLIENT_ID = "64b7c0de5eed000000000c01"
WINDOW = (datetime(2026, 3, 9, tzinfo=UTC), datetime(2026, 3, 16, tzinfo=UTC))
ZONES = ["UTC", "Europe/Berlin", "America/Los_Angeles", "Asia/Kolkata", "Pacific/Auckland"]


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as opened:
        yield opened


def _on(sandbox: Sandbox, pack: Pack, name: str, params: dict[str, Any]) -> dict[str, Any]:
    envelope = pack.run(
        name, params, api_key=DEMO_API_KEY, transport=sandbox.transport(), settings=FAST
    )
    assert envelope["status"] == "success", envelope
    return envelope


# Entries around and inside WINDOW: the edges to the second, times near midnight in every
# zone of ZONES, projects with and without a client, a task, tags, billable or not.
_ENTRIES: list[tuple[datetime, int, dict[str, Any]]] = [
    (WINDOW[0] - timedelta(seconds=1), 600, {}),
    (WINDOW[0], 900, {"projectId": SAMPLE_PROJECT_ID, "billable": True}),
    (WINDOW[0] + timedelta(hours=11, minutes=30), 3600, {"tagIds": [MEETING_TAG_ID]}),
    (
        WINDOW[0] + timedelta(days=1, hours=22),
        5400,
        {
            "projectId": CLIENT_PROJECT_ID,
            "billable": True,
            "tagIds": [MEETING_TAG_ID, URGENT_TAG_ID],
        },
    ),
    (
        WINDOW[0] + timedelta(days=3, hours=13),
        1234,
        {"projectId": SAMPLE_PROJECT_ID, "taskId": DESIGN_TASK_ID, "billable": True},
    ),
    (WINDOW[0] + timedelta(days=5, hours=8), 7200, {"projectId": CLIENT_PROJECT_ID}),
    (WINDOW[1] - timedelta(seconds=1), 60, {"tagIds": [URGENT_TAG_ID], "billable": True}),
    (WINDOW[1], 300, {"projectId": SAMPLE_PROJECT_ID}),
]


@pytest.fixture
def tracked(sandbox: Sandbox) -> Sandbox:
    with httpx.Client(transport=sandbox.transport(), headers={"X-Api-Key": DEMO_API_KEY}) as api:
        for start, seconds, fields in _ENTRIES:
            body = {
                "start": to_wire(start),
                "end": to_wire(start + timedelta(seconds=seconds)),
                "description": f"{seconds} s",
                **fields,
            }
            answer = api.post(
                f"https://api.clockify.me/api/v1/workspaces/{DEMO_WORKSPACE_ID}/time-entries",
                json=body,
            )
            assert answer.status_code == 201, answer.text
    return sandbox


def _window(**more: Any) -> dict[str, Any]:
    return {
        "workspace_id": DEMO_WORKSPACE_ID,
        "start": to_wire(WINDOW[0]),
        "end": to_wire(WINDOW[1]),
        **more,
    }


def _listed(sandbox: Sandbox, pack: Pack) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = _on(sandbox, pack, "list_time_entries", _window())[
        "time_entries"
    ]
    return entries


def _seconds(entry: dict[str, Any]) -> int:
    start = datetime.fromisoformat(entry["start"])
    return int((datetime.fromisoformat(entry["end"]) - start).total_seconds())


@pytest.mark.parametrize("account_zone", ["Europe/Berlin", "America/Los_Angeles"])
@pytest.mark.parametrize("time_zone", ZONES)
def test_report_totals_equal_the_sum_of_the_listed_entries_in_any_zone(
    tracked: Sandbox, pack: Pack, time_zone: str, account_zone: str
) -> None:
    tracked.set_time_zone(DEMO_USER_ID, account_zone)
    listed = _listed(tracked, pack)
    assert len(listed) == 6  # the seeded entry of 2024 and both outer edges are out
    summary = _on(tracked, pack, "summary_report", _window(time_zone=time_zone))
    detailed = _on(tracked, pack, "detailed_report", _window(time_zone=time_zone))
    for report in (summary, detailed):
        totals = report["totals"]
        assert totals["entries_count"] == len(listed)
        assert totals["duration_seconds"] == sum(map(_seconds, listed))
        assert totals["billable_seconds"] == sum(_seconds(e) for e in listed if e["billable"])
    assert sorted(e["id"] for e in detailed["time_entries"]) == sorted(e["id"] for e in listed)
    by_id = {entry["id"]: entry for entry in listed}
    for entry in detailed["time_entries"]:
        assert (entry["start"], entry["end"]) == (
            by_id[entry["id"]]["start"],
            by_id[entry["id"]]["end"],
        )
        assert entry["duration_seconds"] == _seconds(by_id[entry["id"]])
    starts = [entry["start"] for entry in detailed["time_entries"]]
    assert starts == sorted(starts)


def test_the_amount_is_the_billable_time_at_the_projects_rate(tracked: Sandbox, pack: Pack) -> None:
    # The sample project bills 5000 cents an hour; the others and no project bill nothing.
    summary = _on(tracked, pack, "summary_report", _window())
    assert summary["totals"]["amount"] == pytest.approx((900 + 1234) * 5000 / 3600)
    sample = next(g for g in summary["groups"] if g["id"] == SAMPLE_PROJECT_ID)
    assert sample["amount"] == pytest.approx((900 + 1234) * 5000 / 3600)


def _expected(listed: list[dict[str, Any]], keep: Any) -> tuple[int, int]:
    kept = [entry for entry in listed if keep(entry)]
    return len(kept), sum(map(_seconds, kept))


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        ({"project_ids": [SAMPLE_PROJECT_ID]}, lambda e: e["project_id"] == SAMPLE_PROJECT_ID),
        (
            {"project_ids": [SAMPLE_PROJECT_ID, CLIENT_PROJECT_ID]},
            lambda e: e["project_id"] is not None,
        ),
        ({"client_ids": [ACME_CLIENT_ID]}, lambda e: e["project_id"] == CLIENT_PROJECT_ID),
        ({"user_ids": [DEMO_USER_ID]}, lambda e: True),
        ({"user_ids": ["64b7c0de5eed000000000a02"]}, lambda e: False),
        ({"tag_ids": [URGENT_TAG_ID]}, lambda e: URGENT_TAG_ID in e["tag_ids"]),
        (
            {"tag_ids": [MEETING_TAG_ID, URGENT_TAG_ID]},
            lambda e: bool(e["tag_ids"]),
        ),
        ({"billable": True}, lambda e: e["billable"]),
        ({"billable": False}, lambda e: not e["billable"]),
        (
            {"project_ids": [SAMPLE_PROJECT_ID], "billable": True},
            lambda e: e["project_id"] == SAMPLE_PROJECT_ID and e["billable"],
        ),
    ],
)
def test_every_filter_keeps_what_the_list_says_it_should(
    tracked: Sandbox, pack: Pack, params: dict[str, Any], keep: Any
) -> None:
    count, seconds = _expected(_listed(tracked, pack), keep)
    for name in ("summary_report", "detailed_report"):
        totals = _on(tracked, pack, name, _window(**params))["totals"]
        assert (totals["entries_count"], totals["duration_seconds"]) == (count, seconds), name
    detailed = _on(tracked, pack, "detailed_report", _window(**params))
    assert detailed["count"] == count


def _key(group: str, entry: dict[str, Any], detailed: dict[str, dict[str, Any]]) -> list[Any]:
    if group == "tag":
        return list(entry["tag_ids"]) or [None]
    if group == "date":
        return [entry["start"][:10]]
    field = {"project": "project_id", "client": "client_id", "user": "user_id", "task": "task_id"}
    return [detailed[entry["id"]][field[group]]]


@pytest.mark.parametrize("group", ["project", "client", "user", "task", "tag", "date"])
def test_each_grouping_splits_the_listed_time(tracked: Sandbox, pack: Pack, group: str) -> None:
    listed = _listed(tracked, pack)
    detailed = {
        e["id"]: e for e in _on(tracked, pack, "detailed_report", _window())["time_entries"]
    }
    expected: dict[Any, int] = {}
    for entry in listed:
        for key in _key(group, entry, detailed):
            expected[key] = expected.get(key, 0) + _seconds(entry)
    summary = _on(tracked, pack, "summary_report", _window(group_by=[group]))
    assert {g["id"]: g["duration_seconds"] for g in summary["groups"]} == expected
    assert all(g["group"] == group and "groups" not in g for g in summary["groups"])


def test_dates_are_the_days_of_the_requested_zone(tracked: Sandbox, pack: Pack) -> None:
    # 2026-03-10T22:00Z is the 10th in UTC and the 11th in Kolkata (UTC+5:30).
    def days(zone: str) -> dict[str, int]:
        summary = _on(tracked, pack, "summary_report", _window(group_by=["date"], time_zone=zone))
        return {group["id"]: group["duration_seconds"] for group in summary["groups"]}

    assert days("UTC")["2026-03-10"] == 5400
    assert days("Asia/Kolkata")["2026-03-11"] == 5400
    assert days("Asia/Kolkata").get("2026-03-10") is None


def test_three_levels_nest_and_add_up(tracked: Sandbox, pack: Pack) -> None:
    summary = _on(tracked, pack, "summary_report", _window(group_by=["user", "project", "tag"]))
    (user,) = summary["groups"]
    assert user["duration_seconds"] == summary["totals"]["duration_seconds"]
    projects = user["groups"]
    assert sum(p["duration_seconds"] for p in projects) == user["duration_seconds"]
    client_project = next(p for p in projects if p["id"] == CLIENT_PROJECT_ID)
    # The entry with two tags counts in both of its tags' groups.
    assert {t["id"]: t["duration_seconds"] for t in client_project["groups"]} == {
        MEETING_TAG_ID: 5400,
        URGENT_TAG_ID: 5400,
        None: 7200,
    }
    assert all("groups" not in t for t in client_project["groups"])


def test_a_time_zone_that_does_not_exist_is_refused_before_anything_is_sent(
    sandbox: Sandbox, pack: Pack
) -> None:
    envelope = pack.run(
        "summary_report",
        _window(time_zone="Mars/Olympus"),
        api_key=DEMO_API_KEY,
        transport=sandbox.transport(),
        settings=FAST,
    )
    assert envelope["error"]["type"] == "validation_error"
    assert "Mars/Olympus" in envelope["error"]["message"]
    assert sandbox.request_log() == []


@pytest.mark.parametrize(
    ("group_by", "says"),
    [
        (["project", "project"], "twice"),
        (["project", "user", "tag", "date"], "/group_by"),
        ([], "/group_by"),
        (["week"], "/group_by"),
    ],
)
def test_a_grouping_clockify_would_refuse_is_refused_before_anything_is_sent(
    sandbox: Sandbox, pack: Pack, group_by: list[str], says: str
) -> None:
    envelope = pack.run(
        "summary_report",
        _window(group_by=group_by),
        api_key=DEMO_API_KEY,
        transport=sandbox.transport(),
        settings=FAST,
    )
    assert envelope["error"]["type"] == "validation_error"
    assert says in envelope["error"]["message"]
    assert sandbox.request_log() == []


def _report_api(sandbox: Sandbox, kind: str, body: dict[str, Any]) -> httpx.Response:
    with httpx.Client(transport=sandbox.transport(), headers={"X-Api-Key": DEMO_API_KEY}) as api:
        return api.post(
            f"https://reports.api.clockify.me/v1/workspaces/{DEMO_WORKSPACE_ID}/reports/{kind}",
            json=body,
        )


RANGE = {"dateRangeStart": "2024-01-01T00:00:00.000Z", "dateRangeEnd": "2024-01-31T23:59:59.999Z"}


def test_the_sandbox_refuses_what_clockify_refuses(sandbox: Sandbox) -> None:
    bad_group = _report_api(sandbox, "summary", {**RANGE, "summaryFilter": {"groups": ["COLOUR"]}})
    assert (bad_group.status_code, bad_group.json()["message"]) == (400, "Invalid group name")
    too_big = _report_api(sandbox, "detailed", {**RANGE, "detailedFilter": {"pageSize": 1001}})
    assert too_big.status_code == 400
    served = _report_api(sandbox, "detailed", {**RANGE, "detailedFilter": {"pageSize": 1000}})
    assert served.status_code == 200 and served.headers["last-page"] == "true"


def test_the_sandbox_reads_the_range_as_wall_clock_in_the_body_zone(sandbox: Sandbox) -> None:
    # The seeded entry starts 2024-01-15T09:00Z: 22:00 in Auckland (UTC+13).
    def count(start: str, end: str, zone: str) -> int:
        body = {"dateRangeStart": start, "dateRangeEnd": end, "timeZone": zone}
        answer = _report_api(sandbox, "detailed", {**body, "detailedFilter": {"page": 1}})
        entries: list[dict[str, Any]] = answer.json()["timeentries"]
        if entries:
            assert entries[0]["timeInterval"]["start"].endswith("+13:00" if zone != "UTC" else "Z")
        return len(entries)

    assert count("2024-01-15T22:00:00.000Z", "2024-01-15T22:00:00.000Z", "Pacific/Auckland") == 1
    assert count("2024-01-15T09:00:00.000Z", "2024-01-15T09:00:00.000Z", "Pacific/Auckland") == 0
    assert count("2024-01-15T09:00:00", "2024-01-15T09:00:00", "UTC") == 1
    assert count("2024-01-15T09:00:01.000Z", "2024-01-15T10:00:00.000Z", "UTC") == 0


# --- the totals of the fixtures agree with the list's ---------------------------------------------


def _fixture(case: str) -> Any:
    action, name = case.split("/")
    return read_yaml((ROOT / "actions" / action / "fixtures" / f"{name}.yaml").read_text())


def test_the_report_fixtures_count_what_the_list_fixture_lists() -> None:
    listed = _fixture("list_time_entries/berlin_week")
    entries = listed["expect"]["output"]["time_entries"]
    for case in ("summary_report/berlin_week", "detailed_report/los_angeles_week"):
        report = _fixture(case)
        assert report["setup"] == listed["setup"], case
        assert (report["input"]["start"], report["input"]["end"]) == (
            listed["input"]["start"],
            listed["input"]["end"],
        )
        totals = report["expect"]["output"]["totals"]
        assert totals["entries_count"] == len(entries)
        assert totals["duration_seconds"] == sum(map(_seconds, entries))
