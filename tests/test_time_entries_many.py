"""The actions on several time entries at once (docs/clockify-api.md §13.5): what they
send, what they make of Clockify's answer, and what they refuse before sending anything."""

from __future__ import annotations

from conftest import Run
from fake_clockify import ENTRY, USER, WS, FakeClockify, time_entry

OTHER_ENTRY = "8c4d5e6f7a8b9c0d1e2f3a4c"
USER_ENTRIES = f"/workspaces/{WS}/user/{USER}/time-entries"


def test_delete_sends_each_id_once_in_one_request(run: Run, clockify: FakeClockify) -> None:
    deleted = time_entry("2026-01-28T09:00:00Z", "2026-01-28T10:00:00Z", "PT1H")
    clockify.answer("DELETE", USER_ENTRIES, body=[deleted])
    result = run(
        "delete_time_entries",
        {"workspace_id": WS, "user_id": USER, "time_entry_ids": [ENTRY, OTHER_ENTRY]},
    )
    sent = clockify.only
    assert sent.method == "DELETE"
    assert sent.path == f"/api/v1{USER_ENTRIES}"
    assert sent.raw_query == f"time-entry-ids={ENTRY}&time-entry-ids={OTHER_ENTRY}"
    # Clockify listed one of the two: the other is said, not hidden.
    assert result == {
        "status": "success",
        "count": 1,
        "deleted": [ENTRY],
        "not_deleted": [OTHER_ENTRY],
    }


def test_delete_refuses_a_repeated_id_before_sending(run: Run, clockify: FakeClockify) -> None:
    result = run(
        "delete_time_entries",
        {"workspace_id": WS, "user_id": USER, "time_entry_ids": [ENTRY, ENTRY]},
    )
    assert result["status"] == "error"
    assert result["error"]["type"] == "validation_error"
    assert clockify.sent == []


def test_duplicate_posts_no_body_and_is_never_sent_twice(run: Run, clockify: FakeClockify) -> None:
    path = f"{USER_ENTRIES}/{ENTRY}/duplicate"
    clockify.answer("POST", path, status=502, content=b"<html>Bad Gateway</html>")
    clockify.answer("POST", path, status=201, body=time_entry("2026-01-28T09:00:00Z", None, None))
    result = run(
        "duplicate_time_entry", {"workspace_id": WS, "user_id": USER, "time_entry_id": ENTRY}
    )
    # A 502 may come after Clockify made the copy: sending again could make a second one.
    assert result["status"] == "error"
    assert result["error"]["details"][0]["outcome"] == "unknown"
    sent = clockify.only
    assert (sent.method, sent.body) == ("POST", None)


def test_a_bulk_edit_with_nothing_to_change_sends_nothing(run: Run, clockify: FakeClockify) -> None:
    result = run(
        "update_time_entries", {"workspace_id": WS, "user_id": USER, "time_entry_ids": [ENTRY]}
    )
    assert result["error"]["type"] == "validation_error"
    assert clockify.sent == []


def test_a_bulk_edit_sends_each_entry_whole_and_checks_the_answer(
    run: Run, clockify: FakeClockify
) -> None:
    stored = time_entry(
        "2026-01-28T09:00:00Z", "2026-01-28T10:00:00Z", "PT1H", tagIds=["5b641568b07987035750505e"]
    )
    clockify.answer("GET", f"/workspaces/{WS}/time-entries/{ENTRY}", body=stored)
    clockify.answer(
        "GET", f"/workspaces/{WS}/time-entries/{OTHER_ENTRY}", body={**stored, "id": OTHER_ENTRY}
    )
    # Clockify's answer leaves one entry out: the write was made, so it is not sent again.
    clockify.answer("PUT", USER_ENTRIES, body=[{**stored, "billable": True}])
    result = run(
        "update_time_entries",
        {
            "workspace_id": WS,
            "user_id": USER,
            "time_entry_ids": [ENTRY, OTHER_ENTRY],
            "billable": True,
        },
    )
    put = clockify.sent[-1]
    assert put.method == "PUT" and [item["id"] for item in put.body] == [ENTRY, OTHER_ENTRY]
    # Whole entries: what was not changed is sent again, or Clockify would clear it.
    assert put.body[0]["tagIds"] == ["5b641568b07987035750505e"]
    assert put.body[0]["end"] == "2026-01-28T10:00:00Z" and put.body[0]["billable"] is True
    assert result["error"]["type"] == "contract_error"
    assert result["error"]["details"][-1]["outcome"] == "applied"
    assert OTHER_ENTRY in result["error"]["message"]
    assert [s.method for s in clockify.sent] == ["GET", "GET", "PUT"]


def test_a_bulk_edit_refuses_a_repeated_id_before_reading(run: Run, clockify: FakeClockify) -> None:
    result = run(
        "update_time_entries",
        {"workspace_id": WS, "user_id": USER, "time_entry_ids": [ENTRY, ENTRY], "billable": True},
    )
    assert result["error"]["type"] == "validation_error"
    assert f"lists {ENTRY} twice" in result["error"]["message"]
    assert clockify.sent == []
