"""Bad input gets a clear validation_error naming the parameter, and nothing is sent."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import Run
from fake_clockify import PROJECT, USER, WS, FakeClockify


def _details(result: dict[str, Any]) -> dict[str, str]:
    assert result["status"] == "error", result
    assert result["error"]["type"] == "validation_error"
    return {d["path"]: d["message"] for d in result["error"]["details"] if "path" in d}


@pytest.mark.parametrize(
    ("name", "params", "path", "fragment"),
    [
        ("list_projects", {}, "/workspace_id", "required"),
        ("list_projects", {"workspace_id": "123"}, "/workspace_id", "24-character"),
        ("list_projects", {"workspace_id": "../../user"}, "/workspace_id", "24-character"),
        ("list_projects", {"workspace_id": WS.upper()}, "/workspace_id", "24-character"),
        ("list_projects", {"workspace_id": WS, "archived": "true"}, "/archived", "boolean"),
        ("list_projects", {"workspace_id": WS, "archived": 1}, "/archived", "boolean"),
        ("list_projects", {"workspace_id": WS, "page": 2}, "/page", "unknown parameter"),
        ("list_workspaces", {"x": 1}, "/x", "unknown parameter"),
        ("create_project", {"workspace_id": WS, "name": "A"}, "/name", "at least 2"),
        ("create_project", {"workspace_id": WS, "name": "A" * 251}, "/name", "at most 250"),
        ("create_project", {"workspace_id": WS, "name": 12}, "/name", "string"),
        (
            "create_project",
            {"workspace_id": WS, "name": "Ok", "is_private": "yes"},
            "/is_private",
            "boolean",
        ),
        (
            "create_project",
            {"workspace_id": WS, "name": "Ok", "client_id": ""},
            "/client_id",
            "24-character",
        ),
        (
            "start_timer",
            {"workspace_id": WS, "description": "x" * 3001},
            "/description",
            "at most 3000",
        ),
        ("stop_timer", {"workspace_id": WS, "user_id": None}, "/user_id", "string"),
    ],
)
def test_invalid_parameter_is_named_and_nothing_is_sent(
    run: Run, clockify: FakeClockify, name: str, params: dict[str, Any], path: str, fragment: str
) -> None:
    details = _details(run(name, params))
    assert path in details
    assert fragment in details[path]
    assert clockify.sent == []


@pytest.mark.parametrize(
    ("start", "fragment"),
    [
        ("2026-01-28", "a date alone"),
        ("2026-02-30T09:00:00", "not a valid date"),
        ("2026-01-28 09:00:00Z", "not an ISO 8601"),
        ("yesterday", "not an ISO 8601"),
        ("2026-02-30T09:00:00Z", "not a valid date"),
        ("2026-01-28T09:00:00+25:00", "offset"),
    ],
)
def test_bad_timestamps_are_refused_with_an_example(
    run: Run, clockify: FakeClockify, start: str, fragment: str
) -> None:
    details = _details(
        run("create_time_entry", {"workspace_id": WS, "project_id": PROJECT, "start": start})
    )
    assert fragment in details["/start"]
    assert "2026-01-28T09:00:00Z" in details["/start"]
    assert clockify.sent == []


def test_every_problem_is_reported_at_once(run: Run, clockify: FakeClockify) -> None:
    details = _details(
        run("create_time_entry", {"workspace_id": "x", "start": "soon", "extra": True})
    )
    assert set(details) == {"/workspace_id", "/project_id", "/start", "/extra"}


@pytest.mark.parametrize("params", [[], "text", 3, None, True])
def test_input_that_is_not_an_object_is_refused(
    run: Run, clockify: FakeClockify, params: Any
) -> None:
    result = run("list_workspaces", params)
    assert result["error"]["type"] == "validation_error"
    assert "JSON object" in result["error"]["message"]
    assert clockify.sent == []


def test_unknown_action_is_a_validation_error_listing_the_actions(run: Run) -> None:
    error = run("delete_everything", {})["error"]
    assert error["type"] == "validation_error"
    assert "list_workspaces" in error["message"]


def test_user_id_is_validated_before_it_reaches_the_path(run: Run, clockify: FakeClockify) -> None:
    details = _details(run("stop_timer", {"workspace_id": WS, "user_id": f"{USER}/../../x"}))
    assert "/user_id" in details
    assert clockify.sent == []


def test_id_with_a_trailing_newline_is_refused_before_it_reaches_a_path(
    run: Run, clockify: FakeClockify
) -> None:
    details = _details(run("list_projects", {"workspace_id": WS + "\n"}))
    assert list(details) == ["/workspace_id"]
    assert clockify.sent == []


def test_text_that_is_not_unicode_is_refused(run: Run, clockify: FakeClockify) -> None:
    details = _details(run("create_project", {"workspace_id": WS, "name": "ab\udcff"}))
    assert "surrogate" in details["/name"]
    assert clockify.sent == []
