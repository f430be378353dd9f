"""Summary and detailed reports: the reports host each connection reaches, totals that
equal the sum of the listed entries in any zone, every filter and grouping, paging, and
the rules `serve` applies to a request line's reports host."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from clockify_actions import Pack
from clockify_actions.adapters.worker import serve
from clockify_actions.clockify import ClientSettings, RetrySettings
from clockify_actions.clockify.retry import Outcome, is_retried, method_kind
from clockify_actions.contract.model import read_yaml
from clockify_actions.errors import ActionError
from clockify_actions.runtime import reports_base_url_for
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


# --- which host --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("region", "base_url", "reports_base_url", "expected"),
    [
        (None, None, None, "https://reports.api.clockify.me/v1"),
        ("global", None, None, "https://reports.api.clockify.me/v1"),
        ("euc1", None, None, "https://euc1.clockify.me/report/v1"),
        ("APSE2", None, None, "https://apse2.clockify.me/report/v1"),
        (None, "https://api.clockify.me/api/v1", None, "https://reports.api.clockify.me/v1"),
        (None, "https://use2.clockify.me/api/v1/", None, "https://use2.clockify.me/report/v1"),
        ("euc1", "https://euw2.clockify.me/api/v1", None, "https://euw2.clockify.me/report/v1"),
        (None, "https://acme.clockify.me/api/v1", None, "https://acme.clockify.me/report/v1"),
        (
            None,
            "https://developer.clockify.me/api/v1",
            None,
            "https://developer.clockify.me/report/v1",
        ),
        (None, "http://127.0.0.1:8080/api/v1", None, "http://127.0.0.1:8080/report/v1"),
        (None, "http://[::1]:8080/api/v1", None, "http://[::1]:8080/report/v1"),
        (
            "euc1",
            "http://localhost:9/api/v1",
            "https://reports.example.com/v1/",
            "https://reports.example.com/v1",
        ),
    ],
)
def test_the_reports_host_follows_the_region_or_base_url(
    region: str | None, base_url: str | None, reports_base_url: str | None, expected: str
) -> None:
    assert reports_base_url_for(region, base_url, reports_base_url) == expected


@pytest.mark.parametrize(
    ("region", "base_url", "reports_base_url", "says"),
    [
        (None, None, "http://reports.example.com/v1", "reports_base_url must use https"),
        (None, None, "https://user:pw@reports.example.com/v1", "user name or password"),
        (None, None, "ftp://reports.example.com/v1", "reports_base_url must be an http(s) URL"),
        (None, "http://clockify.example.com/api/v1", None, "base_url must use https"),
        ("mars", None, None, "Unknown Clockify region"),
    ],
)
def test_a_reports_host_that_could_leak_the_key_is_refused(
    region: str | None, base_url: str | None, reports_base_url: str | None, says: str
) -> None:
    with pytest.raises(ActionError) as raised:
        reports_base_url_for(region, base_url, reports_base_url)
    assert says in raised.value.message
    assert "pw" not in raised.value.message


def test_a_report_is_a_post_that_is_retried_as_a_read() -> None:
    assert method_kind("POST", reports=True) == "read"
    assert method_kind("POST") == "write"
    assert is_retried("POST", Outcome.TIMEOUT, reports=True)
    assert not is_retried("POST", Outcome.TIMEOUT)


SUMMARY = {"workspace_id": DEMO_WORKSPACE_ID, "start": "2026-03-09T00:00:00Z"}


def _sent_url(pack: Pack, **options: Any) -> str:
    envelope = pack.run(
        "summary_report", {**SUMMARY, "end": "2026-03-16T00:00:00Z"}, dry_run=True, **options
    )
    assert envelope["status"] == "dry_run", envelope
    url: str = envelope["requests"][0]["url"]
    return url


def test_a_run_reaches_the_reports_host_of_its_connection(
    pack: Pack, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("CLOCKIFY_REGION", "CLOCKIFY_BASE_URL", "CLOCKIFY_REPORTS_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    path = f"/workspaces/{DEMO_WORKSPACE_ID}/reports/summary"
    assert _sent_url(pack) == "https://reports.api.clockify.me/v1" + path
    assert _sent_url(pack, region="euw2") == "https://euw2.clockify.me/report/v1" + path
    monkeypatch.setenv("CLOCKIFY_BASE_URL", "http://127.0.0.1:5000/api/v1")
    assert _sent_url(pack) == "http://127.0.0.1:5000/report/v1" + path
    monkeypatch.setenv("CLOCKIFY_REPORTS_BASE_URL", "https://reports.example.com/v1")
    assert _sent_url(pack) == "https://reports.example.com/v1" + path
    assert _sent_url(pack, reports_base_url="https://euc1.clockify.me/report/v1").startswith(
        "https://euc1.clockify.me/report/v1/"
    )


# --- against the sandbox -------------------------------------------------------------------------


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


# --- paging --------------------------------------------------------------------------------------


def _page(ids: range) -> list[dict[str, Any]]:
    return [
        {
            "_id": f"{number:024x}",
            "timeInterval": {
                "start": "2026-03-09T10:00:00+01:00",
                "end": "2026-03-09T10:00:01+01:00",
                "duration": 1,
            },
        }
        for number in ids
    ]


def _paged_clockify(
    pages: list[tuple[list[dict[str, Any]], str | None]],
) -> tuple[httpx.MockTransport, list[dict[str, Any]]]:
    sent: list[dict[str, Any]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        sent.append(body)
        entries, last = pages[len(sent) - 1]
        headers = {} if last is None else {"Last-Page": last}
        totals = [{"totalTime": 1001, "entriesCount": 1001}]
        return httpx.Response(200, json={"totals": totals, "timeentries": entries}, headers=headers)

    return httpx.MockTransport(answer), sent


@pytest.mark.parametrize("last_page_header", [True, False])
def test_every_page_is_fetched_at_1000(pack: Pack, last_page_header: bool) -> None:
    transport, sent = _paged_clockify(
        [
            (_page(range(1000)), "false" if last_page_header else None),
            (_page(range(1000, 1001)), "true" if last_page_header else None),
        ]
    )
    envelope = pack.run(
        "detailed_report", _window(), api_key="k", transport=transport, settings=FAST
    )
    assert envelope["count"] == 1001, envelope
    assert [(b["detailedFilter"]["page"], b["detailedFilter"]["pageSize"]) for b in sent] == [
        (1, 1000),
        (2, 1000),
    ]
    assert envelope["time_entries"][0]["start"] == "2026-03-09T09:00:00Z"


def test_a_report_past_the_cap_is_an_error_not_a_cut(pack: Pack) -> None:
    transport, sent = _paged_clockify([(_page(range(1000)), "false")] * 3)
    settings = ClientSettings(requests_per_second=None, max_list_items=1500)
    envelope = pack.run(
        "detailed_report", _window(), api_key="k", transport=transport, settings=settings
    )
    assert envelope["error"]["type"] == "upstream_error"
    assert "1,500" in envelope["error"]["message"]
    assert len(sent) == 2


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


# --- serve ---------------------------------------------------------------------------------------


class _Seen(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.urls: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url.copy_with(query=None)).split("/workspaces/")[0])
        return self.inner.handle_request(request)


def test_a_request_line_may_pick_only_clockifys_reports_hosts_or_the_workers_own(
    sandbox: Sandbox, pack: Pack
) -> None:
    seen = _Seen(sandbox.transport())
    line = {"action": "summary_report", "input": _window()}
    own = "http://127.0.0.1:7002/report/v1"  # the worker's own, set apart from its base URL's
    lines = [
        {"id": 1, **line},
        {"id": 2, **line, "connection": {"region": "euc1"}},
        {"id": 3, **line, "connection": {"base_url": "https://use2.clockify.me/api/v1"}},
        {
            "id": 4,
            **line,
            "connection": {"reports_base_url": "https://apse2.clockify.me/report/v1/"},
        },
        {"id": 5, **line, "connection": {"reports_base_url": own + "/"}},
        {"id": 6, **line, "connection": {"reports_base_url": "https://reports.example.com/v1"}},
        {"id": 7, **line, "connection": {"reports_base_url": 7}},
        {"id": 8, **line, "connection": {"reports_base_url": "http://127.0.0.1:7000/report/v1"}},
    ]
    out = io.StringIO()
    serve(
        pack,
        io.BytesIO(b"".join(json.dumps(line).encode() + b"\n" for line in lines)),
        out,
        {
            "api_key": DEMO_API_KEY,
            "base_url": "http://127.0.0.1:7000/api/v1",
            "reports_base_url": own,
            "transport": seen,
            "settings": FAST,
        },
    )
    answers = [json.loads(text) for text in out.getvalue().splitlines()]
    statuses = [answer["envelope"]["status"] for answer in answers]
    assert statuses == ["success"] * 5 + ["error"] * 3
    for answer in answers[5:]:
        assert answer["envelope"]["error"]["type"] == "validation_error"
        assert "reports_base_url" in answer["envelope"]["error"]["message"]
    # A region, or a region's API root, reads that region's reports, not the worker's.
    assert seen.urls == [
        own,
        "https://euc1.clockify.me/report/v1",
        "https://use2.clockify.me/report/v1",
        "https://apse2.clockify.me/report/v1",
        own,
    ]


def test_a_client_given_only_a_base_url_reads_reports_on_its_host() -> None:
    from clockify_actions.clockify import ClockifyClient

    with ClockifyClient("k", "http://stand-in.example:8080/api/v1") as client:
        assert client.reports_base_url == "http://stand-in.example:8080/report/v1"
    with ClockifyClient("k", "https://euc1.clockify.me/api/v1") as client:
        assert client.reports_base_url == "https://euc1.clockify.me/report/v1"
