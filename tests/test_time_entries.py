"""The time-entry actions end to end: the exact window whatever the account's zone, the
partial update over Clockify's whole-entry PUT, bounded listing, and safe retries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from clockify_actions import Pack
from clockify_actions.clockify import ClientSettings, RetrySettings
from clockify_actions.sandbox import (
    DEMO_API_KEY,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    DESIGN_TASK_ID,
    MEETING_TAG_ID,
    SAMPLE_PROJECT_ID,
    Sandbox,
)
from clockify_actions.timeutil import to_wire
from conftest import Run
from fake_clockify import ENTRY, USER, WS, FakeClockify, time_entry

SANDBOX_FAST = ClientSettings(requests_per_second=None, retry=RetrySettings(max_attempts=1))
WINDOW_START = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
WINDOW_END = datetime(2026, 3, 10, 16, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as opened:
        yield opened


def _on(sandbox: Sandbox, pack: Pack, name: str, params: dict[str, Any], **options: Any) -> Any:
    options.setdefault("transport", sandbox.transport())
    options.setdefault("settings", SANDBOX_FAST)
    return pack.run(name, params, api_key=DEMO_API_KEY, **options)


def _entries_at_the_edges(sandbox: Sandbox) -> dict[str, datetime]:
    starts = {
        "before start": WINDOW_START - SECOND,
        "at start": WINDOW_START,
        "before end": WINDOW_END - SECOND,
        "at end": WINDOW_END,
        # Where Clockify's own reading of the window lands in Berlin or Los Angeles.
        "an hour before": WINDOW_START - timedelta(hours=1),
        "six hours after": WINDOW_END + timedelta(hours=6),
    }
    with httpx.Client(transport=sandbox.transport(), headers={"X-Api-Key": DEMO_API_KEY}) as api:
        for description, start in starts.items():
            api.post(
                f"https://api.clockify.me/api/v1/workspaces/{DEMO_WORKSPACE_ID}/time-entries",
                json={
                    "start": to_wire(start),
                    "end": to_wire(start + SECOND),
                    "description": description,
                },
            ).raise_for_status()
    return starts


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/Los_Angeles", "Pacific/Kiritimati"])
@pytest.mark.parametrize("served", [False, True], ids=["in-process", "http"])
def test_exactly_the_entries_that_start_in_the_utc_window_whatever_the_zone(
    sandbox: Sandbox, pack: Pack, zone: str, served: bool
) -> None:
    sandbox.set_time_zone(DEMO_USER_ID, zone)
    _entries_at_the_edges(sandbox)
    params = {
        "workspace_id": DEMO_WORKSPACE_ID,
        "start": to_wire(WINDOW_START),
        "end": "2026-03-10T17:00:00+01:00",  # WINDOW_END, written with an offset
    }
    if served:
        server = sandbox.serve()
        result = _on(sandbox, pack, "list_time_entries", params, transport=None,
                     base_url=server.base_url)  # fmt: skip
    else:
        result = _on(sandbox, pack, "list_time_entries", params)
    assert [e["description"] for e in result["time_entries"]] == ["before end", "at start"]
    assert (result["count"], result["has_more"]) == (2, False)


@pytest.mark.parametrize(
    ("zone", "clockify_alone"),
    [
        # Berlin is UTC+1 in March: Clockify's window is an hour early.
        ("Europe/Berlin", ["at start", "before start", "an hour before"]),
        # Los Angeles is UTC-7 from 8 March 2026: seven hours late.
        ("America/Los_Angeles", ["six hours after"]),
    ],
)
def test_clockifys_own_window_would_be_shifted_by_the_zone(
    sandbox: Sandbox, zone: str, clockify_alone: list[str]
) -> None:
    # The same window sent as-is: what the action would return without its compensation.
    sandbox.set_time_zone(DEMO_USER_ID, zone)
    _entries_at_the_edges(sandbox)
    with httpx.Client(transport=sandbox.transport(), headers={"X-Api-Key": DEMO_API_KEY}) as api:
        answer = api.get(
            f"https://api.clockify.me/api/v1/workspaces/{DEMO_WORKSPACE_ID}/user/{DEMO_USER_ID}/time-entries",
            params={"start": to_wire(WINDOW_START), "end": to_wire(WINDOW_END)},
        )
    assert [e["description"] for e in answer.json()] == clockify_alone


def test_a_limit_stops_fetching_pages_and_says_there_is_more(sandbox: Sandbox, pack: Pack) -> None:
    _entries_at_the_edges(sandbox)
    settings = ClientSettings(requests_per_second=None, page_size=2)
    params = {"workspace_id": DEMO_WORKSPACE_ID, "user_id": DEMO_USER_ID, "limit": 3}
    result = _on(sandbox, pack, "list_time_entries", params, settings=settings)
    assert [e["description"] for e in result["time_entries"]] == [
        "six hours after", "at end", "before end",
    ]  # fmt: skip
    assert result["has_more"] is True
    pages = [r.query for r in sandbox.request_log() if r.method == "GET"]
    assert len(pages) == 2, "the third page is never asked for"


def test_without_a_limit_every_entry_is_returned(sandbox: Sandbox, pack: Pack) -> None:
    _entries_at_the_edges(sandbox)
    settings = ClientSettings(requests_per_second=None, page_size=2)
    params = {"workspace_id": DEMO_WORKSPACE_ID, "user_id": DEMO_USER_ID}
    result = _on(sandbox, pack, "list_time_entries", params, settings=settings)
    assert (result["count"], result["has_more"]) == (7, False)  # six and the seeded one


def test_end_not_after_start_is_refused_before_anything_is_sent(
    run: Run, clockify: FakeClockify
) -> None:
    result = run("list_time_entries", {"workspace_id": WS, "start": "2026-03-10T10:00:00Z",
                                       "end": "2026-03-10T11:00:00+01:00"})  # fmt: skip
    assert result["error"]["type"] == "validation_error"
    assert result["error"]["details"][0]["path"] == "/end"
    assert clockify.sent == []


def test_the_update_sends_back_everything_it_does_not_change(
    run: Run, clockify: FakeClockify
) -> None:
    current = time_entry(
        "2026-01-28T09:00:00Z", "2026-01-28T10:30:00Z", "PT1H30M",
        description="Old", taskId="863f50306dd734f7f70a5327", tagIds=["7b8c9d0e1f2a3b4c5d6e7f80"],
        billable=True, type="BREAK",
        customFieldValues=[
            {"customFieldId": "5f1a2b3c4d5e6f7a8b9c0c01", "value": "T-42", "name": "Ticket", "type": "TXT"},
            {"customFieldId": "5f1a2b3c4d5e6f7a8b9c0c02", "value": None, "name": "Unset", "type": "TXT"},
        ],
    )  # fmt: skip
    clockify.answer("GET", f"/workspaces/{WS}/time-entries/{ENTRY}", body=current)
    clockify.answer(
        "PUT", f"/workspaces/{WS}/time-entries/{ENTRY}", body={**current, "description": "New"}
    )
    result = run(
        "update_time_entry", {"workspace_id": WS, "time_entry_id": ENTRY, "description": "New"}
    )
    assert result["description"] == "New"
    get, put = clockify.sent
    assert (get.method, put.method) == ("GET", "PUT")
    assert put.body == {
        "start": "2026-01-28T09:00:00Z",
        "end": "2026-01-28T10:30:00Z",
        "description": "New",
        "billable": True,
        "projectId": current["projectId"],
        "taskId": "863f50306dd734f7f70a5327",
        "tagIds": ["7b8c9d0e1f2a3b4c5d6e7f80"],
        "type": "BREAK",
        "customFields": [{"customFieldId": "5f1a2b3c4d5e6f7a8b9c0c01", "value": "T-42"}],
    }


def test_an_update_that_names_nothing_to_change_sends_nothing(
    run: Run, clockify: FakeClockify
) -> None:
    result = run("update_time_entry", {"workspace_id": WS, "time_entry_id": ENTRY})
    assert result["error"]["type"] == "validation_error"
    assert clockify.sent == []


def test_an_update_keeps_a_running_entry_running(sandbox: Sandbox, pack: Pack) -> None:
    started = _on(sandbox, pack, "start_timer", {"workspace_id": DEMO_WORKSPACE_ID,
                                                 "project_id": SAMPLE_PROJECT_ID})  # fmt: skip
    params = {"workspace_id": DEMO_WORKSPACE_ID, "time_entry_id": started["id"],
              "task_id": DESIGN_TASK_ID, "tag_ids": [MEETING_TAG_ID]}  # fmt: skip
    updated = _on(sandbox, pack, "update_time_entry", params)
    assert (updated["end"], updated["task_id"], updated["tag_ids"]) == (
        None,
        DESIGN_TASK_ID,
        [MEETING_TAG_ID],
    )
    running = _on(
        sandbox, pack, "get_running_timer", {"workspace_id": DEMO_WORKSPACE_ID, "hydrated": True}
    )
    assert running["running"] is True
    assert (running["time_entry"]["task_name"], running["time_entry"]["tag_names"]) == (
        "Design",
        ["Meeting"],
    )


def test_a_put_that_lost_its_answer_is_sent_again(run: Run, clockify: FakeClockify) -> None:
    current = time_entry("2026-01-28T09:00:00Z", "2026-01-28T10:30:00Z", "PT1H30M")
    clockify.answer("GET", f"/workspaces/{WS}/time-entries/{ENTRY}", body=current)
    clockify.answer(
        "PUT", f"/workspaces/{WS}/time-entries/{ENTRY}", 502, content=b"<html>Bad Gateway</html>"
    )
    clockify.answer(
        "PUT", f"/workspaces/{WS}/time-entries/{ENTRY}", body={**current, "billable": True}
    )
    result = run(
        "update_time_entry", {"workspace_id": WS, "time_entry_id": ENTRY, "billable": True}
    )
    assert result["billable"] is True
    assert [s.method for s in clockify.sent] == ["GET", "PUT", "PUT"]
    assert clockify.sent[1].body == clockify.sent[2].body


def test_a_retried_delete_that_finds_nothing_says_the_first_may_have_done_it(
    run: Run, clockify: FakeClockify
) -> None:
    path = f"/workspaces/{WS}/time-entries/{ENTRY}"
    clockify.answer("DELETE", path, 504, content=b"")
    clockify.answer(
        "DELETE", path, 400, {"message": "Time entry doesn't belong to Workspace", "code": 501}
    )
    error = run("delete_time_entry", {"workspace_id": WS, "time_entry_id": ENTRY})["error"]
    assert error["type"] == "not_found"
    assert "may itself have done it" in error["message"]
    assert {"attempts": 2, "outcome": "unknown"} in error["details"]
    assert len(clockify.sent) == 2


def test_a_delete_of_an_unknown_id_is_plainly_not_found(run: Run, clockify: FakeClockify) -> None:
    path = f"/workspaces/{WS}/time-entries/{ENTRY}"
    clockify.answer(
        "DELETE", path, 400, {"message": "Time entry doesn't belong to Workspace", "code": 501}
    )
    error = run("delete_time_entry", {"workspace_id": WS, "time_entry_id": ENTRY})["error"]
    assert (error["type"], error["message"]) == (
        "not_found",
        "Time entry doesn't belong to Workspace.",
    )
    assert len(clockify.sent) == 1


def test_the_running_timer_of_the_keys_own_user_costs_one_more_request(
    run: Run, clockify: FakeClockify
) -> None:
    clockify.answer("GET", "/user", body={"id": USER, "name": "Me"})
    clockify.answer("GET", f"/workspaces/{WS}/user/{USER}/time-entries", body=[])
    assert run("get_running_timer", {"workspace_id": WS}) == {"status": "success", "running": False}
    assert [s.path.rsplit("/", 1)[-1] for s in clockify.sent] == ["user", "time-entries"]
    assert clockify.sent[1].query == {"in-progress": "true", "page-size": "1"}
