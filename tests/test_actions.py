"""Each action's outgoing request and its output, against a scripted Clockify."""

from __future__ import annotations

import pytest

from conftest import API_KEY, Run
from fake_clockify import CLIENT, ENTRY, PROJECT, USER, WS, FakeClockify, project, time_entry


def test_list_workspaces_sends_one_get_and_returns_id_and_name(
    run: Run, clockify: FakeClockify
) -> None:
    clockify.answer(
        "GET",
        "/workspaces",
        body=[
            {"id": WS, "name": "My Workspace", "hourlyRate": {"amount": 0}, "workspaceSettings": {}}
        ],
    )
    result = run("list_workspaces", {})
    assert result == {
        "status": "success",
        "count": 1,
        "workspaces": [{"id": WS, "name": "My Workspace"}],
    }
    sent = clockify.only
    assert (sent.method, sent.path, sent.query) == ("GET", "/api/v1/workspaces", {})
    assert sent.headers["x-api-key"] == API_KEY
    assert sent.headers["user-agent"].startswith("clockify-actions/")


def test_get_current_user_maps_profile_fields(run: Run, clockify: FakeClockify) -> None:
    clockify.answer(
        "GET",
        "/user",
        body={
            "id": USER,
            "email": "lewis@example.com",
            "name": "Lewis Carroll",
            "memberships": [],
            "profilePicture": None,
            "activeWorkspace": WS,
            "defaultWorkspace": WS,
            "settings": {"weekStart": "MONDAY", "timeZone": "Europe/Moscow"},
            "status": "ACTIVE",
            "customFields": [],
        },
    )
    assert run("get_current_user", {}) == {
        "status": "success",
        "id": USER,
        "name": "Lewis Carroll",
        "email": "lewis@example.com",
        "active_workspace_id": WS,
        "default_workspace_id": WS,
        "time_zone": "Europe/Moscow",
        # NOW, 11:30 UTC, on the user's wall clock.
        "local_time": "2026-01-28T14:30:00+03:00",
        "account_status": "ACTIVE",
    }
    assert clockify.only.path == "/api/v1/user"


@pytest.mark.parametrize(
    ("archived", "query"),
    [(True, {"archived": "true"}), (False, {"archived": "false"}), (None, {})],
    ids=["archived-true", "archived-false", "archived-omitted"],
)
def test_list_projects_sends_archived_only_when_given(
    run: Run, clockify: FakeClockify, archived: bool | None, query: dict[str, str]
) -> None:
    clockify.answer(
        "GET",
        f"/workspaces/{WS}/projects",
        body=[project(), project("Old", id=CLIENT, archived=True, clientId=CLIENT, public=True)],
        headers={"Last-Page": "true"},
    )
    params = (
        {"workspace_id": WS} if archived is None else {"workspace_id": WS, "archived": archived}
    )
    result = run("list_projects", params)
    assert clockify.only.query == {**query, "page": "1", "page-size": "5000"}
    assert result == {
        "status": "success",
        "count": 2,
        "projects": [
            {
                "id": PROJECT,
                "name": "Sample Project",
                "archived": False,
                "client_id": None,
                "is_private": True,
                "billable": True,
                "color": "#03A9F4",
            },
            {
                "id": CLIENT,
                "name": "Old",
                "archived": True,
                "client_id": CLIENT,
                "is_private": False,
                "billable": True,
                "color": "#03A9F4",
            },
        ],
    }


def _small_pages(page_size: int) -> dict[str, object]:
    from clockify_actions.clockify import ClientSettings
    from conftest import FAST

    return {
        "settings": ClientSettings(page_size=page_size, requests_per_second=None, retry=FAST.retry)
    }


def test_list_projects_walks_every_page_until_last_page_header(
    run: Run, clockify: FakeClockify
) -> None:
    path = f"/workspaces/{WS}/projects"
    for number, last in ((1, "false"), (2, "false"), (3, "true")):
        names = [f"P{number}-{i}" for i in range(2 if last == "false" else 1)]
        clockify.answer("GET", path, body=[project(n) for n in names], headers={"Last-Page": last})
    result = run("list_projects", {"workspace_id": WS}, **_small_pages(2))
    assert [p["name"] for p in result["projects"]] == ["P1-0", "P1-1", "P2-0", "P2-1", "P3-0"]
    assert result["count"] == 5
    assert [s.query["page"] for s in clockify.sent] == ["1", "2", "3"]
    assert {s.query["page-size"] for s in clockify.sent} == {"2"}


def test_list_projects_without_last_page_header_stops_on_a_short_page(
    run: Run, clockify: FakeClockify
) -> None:
    path = f"/workspaces/{WS}/projects"
    clockify.answer("GET", path, body=[project("a"), project("b")])
    clockify.answer("GET", path, body=[project("c")])
    result = run("list_projects", {"workspace_id": WS}, **_small_pages(2))
    assert [p["name"] for p in result["projects"]] == ["a", "b", "c"]
    assert len(clockify.sent) == 2


def test_list_projects_trusts_last_page_false_over_a_short_page(
    run: Run, clockify: FakeClockify
) -> None:
    path = f"/workspaces/{WS}/projects"
    clockify.answer("GET", path, body=[project("a")], headers={"Last-Page": "false"})
    clockify.answer("GET", path, body=[], headers={"Last-Page": "true"})
    result = run("list_projects", {"workspace_id": WS}, **_small_pages(2))
    assert result["count"] == 1
    assert len(clockify.sent) == 2


@pytest.mark.parametrize(
    ("params", "body"),
    [
        ({"is_private": True}, {"isPublic": False}),
        ({"is_private": False}, {"isPublic": True}),
        ({}, {}),
        ({"client_id": CLIENT}, {"clientId": CLIENT}),
    ],
    ids=["private", "public", "privacy-omitted", "with-client"],
)
def test_create_project_request_body(
    run: Run, clockify: FakeClockify, params: dict[str, object], body: dict[str, object]
) -> None:
    clockify.answer("POST", f"/workspaces/{WS}/projects", 201, project("New Project", public=True))
    result = run("create_project", {"workspace_id": WS, "name": "New Project", **params})
    sent = clockify.only
    assert (sent.method, sent.path) == ("POST", f"/api/v1/workspaces/{WS}/projects")
    assert sent.body == {"name": "New Project", **body}
    assert result == {
        "status": "success",
        "id": PROJECT,
        "name": "New Project",
        "workspace_id": WS,
        "archived": False,
        "client_id": None,
        "is_private": False,
        "billable": True,
        "color": "#03A9F4",
    }


def test_create_time_entry_with_end_normalises_times_to_utc(
    run: Run, clockify: FakeClockify
) -> None:
    clockify.answer(
        "POST",
        f"/workspaces/{WS}/time-entries",
        201,
        time_entry(
            "2026-01-28T09:00:00Z", "2026-01-28T10:30:00Z", "PT1H30M", description="Completed task"
        ),
    )
    result = run(
        "create_time_entry",
        {
            "workspace_id": WS,
            "project_id": PROJECT,
            "description": "Completed task",
            "start": "2026-01-28T10:00:00.123+01:00",
            "end": "2026-01-28T10:30:00Z",
        },
    )
    assert clockify.only.body == {
        "start": "2026-01-28T09:00:00Z",
        "end": "2026-01-28T10:30:00Z",
        "projectId": PROJECT,
        "description": "Completed task",
    }
    assert result == {
        "status": "success",
        "id": ENTRY,
        "description": "Completed task",
        "start": "2026-01-28T09:00:00Z",
        "end": "2026-01-28T10:30:00Z",
        "duration": "PT1H30M",
        "project_id": PROJECT,
        "workspace_id": WS,
        "user_id": USER,
        "billable": False,
        "task_id": None,
        "tag_ids": [],
    }


def test_create_time_entry_without_end_is_running_and_returns_null_end(
    run: Run, clockify: FakeClockify
) -> None:
    clockify.answer(
        "POST",
        f"/workspaces/{WS}/time-entries",
        201,
        time_entry("2026-01-28T09:00:00Z", None, None),
    )
    result = run(
        "create_time_entry",
        {"workspace_id": WS, "project_id": PROJECT, "start": "2026-01-28T09:00:00Z"},
    )
    assert "end" not in clockify.only.body
    assert result["end"] is None and result["duration"] is None
    assert result["status"] == "success"


def test_create_time_entry_rejects_end_before_start_without_sending(
    run: Run, clockify: FakeClockify
) -> None:
    result = run(
        "create_time_entry",
        {
            "workspace_id": WS,
            "project_id": PROJECT,
            "start": "2026-01-28T10:00:00Z",
            "end": "2026-01-28T09:00:00Z",
        },
    )
    assert result["error"]["type"] == "validation_error"
    assert result["error"]["details"][0]["path"] == "/end"
    assert clockify.sent == []


def test_start_timer_starts_now_in_one_post(run: Run, clockify: FakeClockify) -> None:
    clockify.answer(
        "POST",
        f"/workspaces/{WS}/time-entries",
        201,
        time_entry("2026-01-28T11:30:00Z", None, None),
    )
    result = run(
        "start_timer", {"workspace_id": WS, "description": "Working on task", "project_id": PROJECT}
    )
    assert clockify.only.body == {
        "start": "2026-01-28T11:30:00Z",
        "projectId": PROJECT,
        "description": "Working on task",
    }
    assert result["start"] == "2026-01-28T11:30:00Z"
    assert result["end"] is None


def test_start_timer_blocked_by_running_timer_is_rejected_with_explanation(
    run: Run, clockify: FakeClockify
) -> None:
    clockify.answer(
        "POST",
        f"/workspaces/{WS}/time-entries",
        400,
        {
            "message": "Start datetime 2026-01-28T12:00:00Z is greater than end datetime 2026-01-28T11:30:00Z.",
            "code": 501,
        },
    )
    error = run("start_timer", {"workspace_id": WS})["error"]
    assert error["type"] == "rejected"
    assert "already running" in error["message"]
    assert "is greater than end datetime" in error["message"]
    assert (error["http_status"], error["clockify_code"]) == (400, 501)
    assert len(clockify.sent) == 1


def test_stop_timer_patches_end_now(run: Run, clockify: FakeClockify) -> None:
    clockify.answer(
        "PATCH",
        f"/workspaces/{WS}/user/{USER}/time-entries",
        body=time_entry("2026-01-28T10:00:00Z", "2026-01-28T11:30:00Z", "PT1H30M"),
    )
    result = run("stop_timer", {"workspace_id": WS, "user_id": USER})
    sent = clockify.only
    assert (sent.method, sent.path, sent.body) == (
        "PATCH",
        f"/api/v1/workspaces/{WS}/user/{USER}/time-entries",
        {"end": "2026-01-28T11:30:00Z"},
    )
    assert (result["id"], result["end"], result["duration"]) == (
        ENTRY,
        "2026-01-28T11:30:00Z",
        "PT1H30M",
    )


def test_stop_timer_with_nothing_running_is_not_found(run: Run, clockify: FakeClockify) -> None:
    message = f"Currently running time entry doesn't exist on workspace {WS} for user {USER}."
    clockify.answer(
        "PATCH",
        f"/workspaces/{WS}/user/{USER}/time-entries",
        404,
        {"message": message, "code": 404},
    )
    error = run("stop_timer", {"workspace_id": WS, "user_id": USER})["error"]
    assert error["type"] == "not_found"
    assert error["message"].startswith(f"No timer is running for user {USER} in workspace {WS}")
    assert (error["http_status"], error["clockify_code"], error["retryable"]) == (404, 404, False)
