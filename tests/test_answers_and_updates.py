"""Writes never silently revert someone else's change they can see, and answers are
about what was asked: an update compares Clockify's answer with the record it read, an
answer about another record (another entry, another workspace's, another user's timer)
is a `contract_error` never applied to the request, and inputs that contradict each
other are refused before anything is sent."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from clockify_actions import Pack
from clockify_actions.clockify import ClientSettings, RetrySettings
from clockify_actions.errors import EXIT_CODES, ErrorType
from clockify_actions.sandbox import (
    DEMO_API_KEY,
    DEMO_CLIENT_ID,
    DEMO_WORKSPACE_ID,
    SAMPLE_PROJECT_ID,
    Sandbox,
)
from conftest import Run
from fake_clockify import ENTRY, PROJECT, USER, WS, FakeClockify, project, time_entry

SANDBOX_FAST = ClientSettings(requests_per_second=None, retry=RetrySettings(max_attempts=1))
ENTRY_PATH = f"/workspaces/{WS}/time-entries/{ENTRY}"
PROJECT_PATH = f"/workspaces/{WS}/projects/{PROJECT}"
OTHER_ID = "8c4d5e6f7a8b9c0d1e2f3aff"
FINISHED = ("2026-01-28T09:00:00Z", "2026-01-28T10:30:00Z", "PT1H30M")


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as opened:
        yield opened


def _record(details: list[dict[str, Any]]) -> dict[str, Any]:
    return next(d for d in details if "attempts" in d)


# --- an update compares Clockify's answer with what it read ----------------------------------


def test_an_entry_changed_by_someone_else_between_read_and_write_is_a_conflict(
    run: Run, clockify: FakeClockify
) -> None:
    read = time_entry(*FINISHED, description="Planning")
    # Clockify applied the billable change, but the description is another's by now.
    answered = {**read, "billable": True, "description": "Planning (moved by Sam)"}
    clockify.answer("GET", ENTRY_PATH, body=read)
    clockify.answer("PUT", ENTRY_PATH, body=answered)
    result = run("update_time_entry", {"workspace_id": WS, "time_entry_id": ENTRY,
                                       "billable": True})  # fmt: skip
    error = result["error"]
    assert error["type"] == "conflict"
    assert EXIT_CODES[ErrorType(error["type"])] == 5
    assert "applied" in error["message"] and "someone else" in error["message"]
    assert {
        "path": "/description",
        "message": "changed by someone else between the read and the write",
        "read": "Planning",
        "answered": "Planning (moved by Sam)",
    } in error["details"]
    assert _record(error["details"]) == {"attempts": 1, "outcome": "applied"}
    assert error["retryable"] is False
    assert [sent.method for sent in clockify.sent] == ["GET", "PUT"]


def test_the_fields_an_update_changes_and_tags_in_another_order_are_no_conflict(
    run: Run, clockify: FakeClockify
) -> None:
    read = time_entry(*FINISHED, tagIds=["b" * 24, "a" * 24])
    answered = {
        **read,
        "description": "New",
        "tagIds": ["a" * 24, "b" * 24],  # the same tags in another order
    }
    clockify.answer("GET", ENTRY_PATH, body=read)
    clockify.answer("PUT", ENTRY_PATH, body=answered)
    result = run("update_time_entry", {"workspace_id": WS, "time_entry_id": ENTRY,
                                       "description": "New"})  # fmt: skip
    assert result["status"] == "success", result


def test_a_project_changed_by_someone_else_between_read_and_write_is_a_conflict(
    run: Run, clockify: FakeClockify
) -> None:
    clockify.answer("GET", PROJECT_PATH, body=project(color="#03A9F4"))
    clockify.answer("PUT", PROJECT_PATH, body=project(archived=True, color="#FF5733"))
    result = run("update_project", {"workspace_id": WS, "project_id": PROJECT, "archived": True})
    error = result["error"]
    assert error["type"] == "conflict"
    assert {"path": "/color", "read": "#03A9F4", "answered": "#FF5733"}.items() <= next(
        d for d in error["details"] if d.get("path") == "/color"
    ).items()
    assert _record(error["details"]) == {"attempts": 1, "outcome": "applied"}


def test_racing_project_updates_report_the_change_clockify_kept_from_the_other(
    pack: Pack, sandbox: Sandbox
) -> None:
    """One run puts a client-less project on a client, the other makes it non-billable;
    both read it before either writes, the client's PUT lands first. The second PUT leaves
    the client out (the project had none when read), Clockify keeps the first run's
    client, and the second run says so instead of claiming the project it read."""
    with httpx.Client(transport=sandbox.transport(), base_url="https://api.clockify.me/api/v1",
                      headers={"X-Api-Key": DEMO_API_KEY}) as api:  # fmt: skip
        path = f"/workspaces/{DEMO_WORKSPACE_ID}/projects/{SAMPLE_PROJECT_ID}"
        assert api.get(path).json()["clientId"] == ""
    second_read, first_written = threading.Event(), threading.Event()

    class Sequenced(httpx.BaseTransport):
        """Sends this run's PUT only once `before_put` is set, and sets `done` once its
        request of method `signals` is answered."""

        def __init__(self, before_put: threading.Event, signals: str, done: threading.Event):
            self._inner = sandbox.transport()
            self._before_put, self._signals, self._done = before_put, signals, done

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if request.method == "PUT":
                assert self._before_put.wait(timeout=300)
            response = self._inner.handle_request(request)
            response.read()
            if request.method == self._signals:
                self._done.set()
            return response

    first = Sequenced(second_read, "PUT", first_written)
    second = Sequenced(first_written, "GET", second_read)

    def update(transport: httpx.BaseTransport, change: dict[str, Any]) -> dict[str, Any]:
        params = {"workspace_id": DEMO_WORKSPACE_ID, "project_id": SAMPLE_PROJECT_ID, **change}
        return pack.run("update_project", params, api_key=DEMO_API_KEY, transport=transport,
                        settings=SANDBOX_FAST)  # fmt: skip

    with ThreadPoolExecutor(2) as pool:
        moved = pool.submit(update, first, {"client_id": DEMO_CLIENT_ID})
        billed = pool.submit(update, second, {"billable": False})
        moved_result, billed_result = moved.result(), billed.result()
    assert moved_result["status"] == "success", moved_result
    error = billed_result["error"]
    assert error["type"] == "conflict", billed_result
    change = next(d for d in error["details"] if d.get("path") == "/client_id")
    assert (change["read"], change["answered"]) == (None, DEMO_CLIENT_ID)
    assert _record(error["details"])["outcome"] == "applied"
    final = pack.run("get_project", {"workspace_id": DEMO_WORKSPACE_ID,
                                     "project_id": SAMPLE_PROJECT_ID},
                     api_key=DEMO_API_KEY, transport=sandbox.transport())  # fmt: skip
    assert (final["client_id"], final["billable"]) == (DEMO_CLIENT_ID, False)


# --- an answer about another record is never used --------------------------------------------


def test_an_update_read_answered_with_another_entry_sends_nothing(
    run: Run, clockify: FakeClockify
) -> None:
    clockify.answer("GET", ENTRY_PATH, body=time_entry(*FINISHED, id=OTHER_ID))
    result = run("update_time_entry", {"workspace_id": WS, "time_entry_id": ENTRY,
                                       "description": "Mine"})  # fmt: skip
    error = result["error"]
    assert error["type"] == "contract_error"
    assert {"path": "/id", "message": f"is {OTHER_ID!r}; the request was for {ENTRY!r}"} in (
        error["details"]
    )
    assert _record(error["details"])["outcome"] == "not_applied"
    assert [sent.method for sent in clockify.sent] == ["GET"]


def test_an_update_answered_with_another_entry_is_applied_but_not_reported_as_it(
    run: Run, clockify: FakeClockify
) -> None:
    read = time_entry(*FINISHED)
    clockify.answer("GET", ENTRY_PATH, body=read)
    clockify.answer("PUT", ENTRY_PATH, body={**read, "id": OTHER_ID, "description": "Mine"})
    result = run("update_time_entry", {"workspace_id": WS, "time_entry_id": ENTRY,
                                       "description": "Mine"})  # fmt: skip
    error = result["error"]
    assert error["type"] == "contract_error"
    assert _record(error["details"]) == {"attempts": 1, "outcome": "applied"}
    assert error["retryable"] is False


@pytest.mark.parametrize(
    ("action", "params", "path", "body", "field"),
    [
        ("get_time_entry", {"time_entry_id": ENTRY}, ENTRY_PATH,
         time_entry(*FINISHED, id=OTHER_ID), "/id"),
        ("get_time_entry", {"time_entry_id": ENTRY}, ENTRY_PATH,
         time_entry(*FINISHED, workspaceId="5f1a2b3c4d5e6f7a8b9c0dff"), "/workspace_id"),
        ("get_project", {"project_id": PROJECT}, PROJECT_PATH,
         project(workspaceId="5f1a2b3c4d5e6f7a8b9c0dff"), "/workspace_id"),
        ("update_project", {"project_id": PROJECT, "archived": True}, PROJECT_PATH,
         project(id=OTHER_ID), "/id"),
        ("get_running_timer", {"user_id": USER}, f"/workspaces/{WS}/user/{USER}/time-entries",
         [time_entry("2026-01-28T09:00:00Z", None, None, userId=OTHER_ID)], "/user_id"),
    ],
    ids=["entry-id", "entry-workspace", "project-workspace", "project-to-update", "timer-user"],
)  # fmt: skip
def test_a_read_answered_about_another_record_is_a_contract_error(
    run: Run,
    clockify: FakeClockify,
    action: str,
    params: dict[str, Any],
    path: str,
    body: Any,
    field: str,
) -> None:
    clockify.answer("GET", path, body=body)
    error = run(action, {"workspace_id": WS, **params})["error"]
    assert error["type"] == "contract_error"
    assert [d["path"] for d in error["details"] if "path" in d] == [field]
    assert [sent.method for sent in clockify.sent] == ["GET"]


def test_stopping_a_timer_answered_with_another_users_entry_is_applied_but_not_yours(
    run: Run, clockify: FakeClockify
) -> None:
    stopped = time_entry(*FINISHED, userId=OTHER_ID)
    clockify.answer("PATCH", f"/workspaces/{WS}/user/{USER}/time-entries", body=stopped)
    error = run("stop_timer", {"workspace_id": WS, "user_id": USER})["error"]
    assert error["type"] == "contract_error"
    assert [d["path"] for d in error["details"] if "path" in d] == ["/user_id"]
    assert _record(error["details"]) == {"attempts": 1, "outcome": "applied"}


# --- refused before any request -------------------------------------------------------------


def test_a_start_later_than_the_end_is_refused_before_the_read(
    run: Run, clockify: FakeClockify
) -> None:
    result = run("update_time_entry", {"workspace_id": WS, "time_entry_id": ENTRY,
                                       "start": "2026-01-28T11:00:00Z",
                                       "end": "2026-01-28T10:00:00Z"})  # fmt: skip
    error = result["error"]
    assert error["type"] == "validation_error"
    assert [d["path"] for d in error["details"] if "path" in d] == ["/end"]
    assert _record(error["details"]) == {"attempts": 0, "outcome": "not_applied"}
    assert clockify.sent == []


def test_a_stored_entry_with_bad_times_is_blamed_not_a_parameter_the_caller_did_not_give(
    run: Run, clockify: FakeClockify
) -> None:
    clockify.answer("GET", ENTRY_PATH, body=time_entry("2026-01-28T11:00:00Z",
                                                       "2026-01-28T10:00:00Z", "PT0S"))  # fmt: skip
    result = run("update_time_entry", {"workspace_id": WS, "time_entry_id": ENTRY,
                                       "description": "Only this"})  # fmt: skip
    error = result["error"]
    assert error["type"] == "validation_error"
    assert [d["path"] for d in error["details"] if "path" in d] == [""]
    assert "as stored in Clockify" in error["message"]
    assert "/start" not in str(error)
    assert [sent.method for sent in clockify.sent] == ["GET"]


def test_an_end_before_the_stored_start_is_blamed_on_the_end(
    run: Run, clockify: FakeClockify
) -> None:
    clockify.answer("GET", ENTRY_PATH, body=time_entry(*FINISHED))
    result = run("update_time_entry", {"workspace_id": WS, "time_entry_id": ENTRY,
                                       "end": "2026-01-28T08:00:00Z"})  # fmt: skip
    assert [d["path"] for d in result["error"]["details"] if "path" in d] == ["/end"]
    assert [sent.method for sent in clockify.sent] == ["GET"]
