"""Projects and tasks by name and by id: what the find, find-or-create and update actions
send and decide, against a scripted Clockify and against the sandbox over HTTP (the race
of two find-or-create runs)."""

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
from clockify_actions.sandbox import (
    CLIENT_PROJECT_ID,
    DEMO_API_KEY,
    DEMO_CLIENT_ID,
    DEMO_WORKSPACE_ID,
    SAMPLE_PROJECT_ID,
    Sandbox,
)
from conftest import Run
from fake_clockify import WS, FakeClockify

PROJECT_ID = "6a2b3c4d5e6f7a8b9c0d1e2f"
CLIENT_ID = "7b3c4d5e6f7a8b9c0d1e2f3a"
OTHER_CLIENT_ID = "7b3c4d5e6f7a8b9c0d1e2f3b"
SANDBOX_FAST = ClientSettings(requests_per_second=None, retry=RetrySettings(max_attempts=1))


def project(**fields: Any) -> dict[str, Any]:
    return {
        "id": PROJECT_ID,
        "name": "Website Redesign",
        "workspaceId": WS,
        "clientId": CLIENT_ID,
        "clientName": "Acme",
        "archived": False,
        "billable": True,
        "public": True,
        "color": "#9C27B0",
        "note": "Keep me",
        **fields,
    }


def task(task_id: str, name: str, status: str = "ACTIVE") -> dict[str, Any]:
    return {
        "id": task_id,
        "name": name,
        "projectId": PROJECT_ID,
        "status": status,
        "billable": True,
    }


# --- update_project: the user's changes over Clockify's full replace --------------------------


def test_update_sends_back_what_a_replace_would_reset(run: Run, clockify: FakeClockify) -> None:
    path = f"/workspaces/{WS}/projects/{PROJECT_ID}"
    clockify.answer("GET", path, body=project())
    clockify.answer("PUT", path, body=project(name="Website 2026"))
    result = run(
        "update_project", {"workspace_id": WS, "project_id": PROJECT_ID, "name": "Website 2026"}
    )
    assert result["status"] == "success", result
    assert result["name"] == "Website 2026"
    put = clockify.sent[1]
    # Billable and privacy reset to false when left out of a PUT (docs/clockify-api.md §19.2).
    assert put.body == {
        "name": "Website 2026",
        "archived": False,
        "billable": True,
        "isPublic": True,
        "color": "#9C27B0",
        "clientId": CLIENT_ID,
    }


def test_update_archives_and_sets_privacy_and_client(run: Run, clockify: FakeClockify) -> None:
    path = f"/workspaces/{WS}/projects/{PROJECT_ID}"
    clockify.answer("GET", path, body=project(clientId="", clientName=""))
    clockify.answer("PUT", path, body=project(archived=True, public=False))
    params = {
        "workspace_id": WS,
        "project_id": PROJECT_ID,
        "archived": True,
        "is_private": True,
        "client_id": OTHER_CLIENT_ID,
        "billable": False,
    }
    assert run("update_project", params)["status"] == "success"
    body = clockify.sent[1].body
    assert (body["archived"], body["isPublic"], body["billable"]) == (True, False, False)
    assert body["clientId"] == OTHER_CLIENT_ID


def test_update_takes_a_project_off_its_client(run: Run, clockify: FakeClockify) -> None:
    path = f"/workspaces/{WS}/projects/{PROJECT_ID}"
    clockify.answer("GET", path, body=project())
    clockify.answer("PUT", path, body=project(clientId="", clientName=""))
    params = {"workspace_id": WS, "project_id": PROJECT_ID, "remove_client": True}
    assert run("update_project", params)["client_id"] is None
    assert clockify.sent[1].body["clientId"] == ""


def test_update_keeps_no_client_when_it_had_none(run: Run, clockify: FakeClockify) -> None:
    path = f"/workspaces/{WS}/projects/{PROJECT_ID}"
    clockify.answer("GET", path, body=project(clientId="", clientName=""))
    clockify.answer("PUT", path, body=project(clientId="", clientName="", archived=True))
    run("update_project", {"workspace_id": WS, "project_id": PROJECT_ID, "archived": True})
    assert "clientId" not in clockify.sent[1].body


@pytest.mark.parametrize(
    ("params", "path"),
    [({}, ""), ({"client_id": CLIENT_ID, "remove_client": True}, "/remove_client")],
    ids=["nothing-to-change", "client-and-remove"],
)
def test_update_refuses_before_sending(
    run: Run, clockify: FakeClockify, params: dict[str, Any], path: str
) -> None:
    result = run("update_project", {"workspace_id": WS, "project_id": PROJECT_ID, **params})
    assert result["error"]["type"] == "validation_error"
    assert result["error"]["details"][0]["path"] == path
    assert clockify.sent == []


# --- find_project ----------------------------------------------------------------------------


def test_find_reads_every_page_and_matches_the_whole_name(run: Run, clockify: FakeClockify) -> None:
    path = f"/workspaces/{WS}/projects"
    longer = project(id="6a2b3c4d5e6f7a8b9c0d1e30", name="Website Redesign Phase 2")
    clockify.answer("GET", path, body=[longer], headers={"Last-Page": "false"})
    clockify.answer("GET", path, body=[project()], headers={"Last-Page": "true"})
    result = run("find_project", {"workspace_id": WS, "name": "website  redesign"})
    assert (result["status"], result["id"]) == ("success", PROJECT_ID), result
    assert [s.query for s in clockify.sent] == [
        {"name": "website redesign", "page": "1", "page-size": "5000"},
        {"name": "website redesign", "page": "2", "page-size": "5000"},
    ]


def test_find_same_name_of_two_clients_is_a_conflict_unless_a_client_is_given(
    run: Run, clockify: FakeClockify
) -> None:
    path = f"/workspaces/{WS}/projects"
    twins = [project(), project(id="6a2b3c4d5e6f7a8b9c0d1e31", clientId=OTHER_CLIENT_ID)]
    clockify.answer("GET", path, body=twins).answer("GET", path, body=twins)
    ambiguous = run("find_project", {"workspace_id": WS, "name": "Website Redesign"})
    assert ambiguous["error"]["type"] == "conflict"
    assert PROJECT_ID in ambiguous["error"]["message"]
    assert "6a2b3c4d5e6f7a8b9c0d1e31" in ambiguous["error"]["message"]
    chosen = run(
        "find_project",
        {"workspace_id": WS, "name": "Website Redesign", "client_id": OTHER_CLIENT_ID},
    )
    assert chosen["id"] == "6a2b3c4d5e6f7a8b9c0d1e31"


def test_find_active_only_asks_clockify_for_active_projects(
    run: Run, clockify: FakeClockify
) -> None:
    clockify.answer("GET", f"/workspaces/{WS}/projects", body=[])
    params = {"workspace_id": WS, "name": "Old", "include_archived": False}
    assert run("find_project", params)["error"]["type"] == "not_found"
    assert clockify.only.query["archived"] == "false"


def test_find_or_create_gives_up_with_the_conflict_when_no_winner_is_found(
    run: Run, clockify: FakeClockify
) -> None:
    # A name Clockify calls taken that no look-up shows (say, a project the key may not see).
    path = f"/workspaces/{WS}/projects"
    clockify.answer("GET", path, body=[]).answer("GET", path, body=[])
    duplicate = {"message": "Hidden project for client  already exists.", "code": 501}
    clockify.answer("POST", path, status=400, body=duplicate)
    result = run("find_or_create_project", {"workspace_id": WS, "name": "Hidden"})
    assert result["error"]["type"] == "conflict"
    assert [s.method for s in clockify.sent] == ["GET", "POST", "GET"]


# --- tasks -----------------------------------------------------------------------------------


def test_list_tasks_done_keeps_only_done_ones(run: Run, clockify: FakeClockify) -> None:
    path = f"/workspaces/{WS}/projects/{PROJECT_ID}/tasks"
    tasks = [
        task("8c4d5e6f7a8b9c0d1e2f3a4b", "Design"),
        task("8c4d5e6f7a8b9c0d1e2f3a4c", "Review", "DONE"),
    ]
    clockify.answer("GET", path, body=tasks)
    result = run("list_tasks", {"workspace_id": WS, "project_id": PROJECT_ID, "status": "done"})
    assert [t["name"] for t in result["tasks"]] == ["Review"]
    assert "is-active" not in clockify.only.query


def test_find_task_active_only_sends_is_active(run: Run, clockify: FakeClockify) -> None:
    path = f"/workspaces/{WS}/projects/{PROJECT_ID}/tasks"
    clockify.answer("GET", path, body=[task("8c4d5e6f7a8b9c0d1e2f3a4b", "Design")])
    params = {"workspace_id": WS, "project_id": PROJECT_ID, "name": "design", "include_done": False}
    assert run("find_task", params)["id"] == "8c4d5e6f7a8b9c0d1e2f3a4b"
    assert clockify.only.query["is-active"] == "true"


@pytest.mark.parametrize("action", ["create_time_entry", "start_timer"])
def test_new_entries_carry_task_tags_and_billable(
    run: Run, clockify: FakeClockify, action: str
) -> None:
    clockify.answer_everything(400, {"message": "Task doesn't belong to Project", "code": 501})
    params = {
        "workspace_id": WS,
        "project_id": PROJECT_ID,
        "task_id": "8c4d5e6f7a8b9c0d1e2f3a4b",
        "tag_ids": ["9d5e6f7a8b9c0d1e2f3a4b5c"],
        "billable": True,
        "start": "2026-01-28T09:00:00Z",
    }
    if action == "start_timer":
        del params["start"]
    assert run(action, params)["error"]["type"] == "not_found"
    body = clockify.only.body
    assert (body["taskId"], body["tagIds"], body["billable"]) == (
        "8c4d5e6f7a8b9c0d1e2f3a4b",
        ["9d5e6f7a8b9c0d1e2f3a4b5c"],
        True,
    )


# --- the race, over HTTP against the sandbox ------------------------------------------------


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as opened:
        yield opened


class _ReadTogether(httpx.BaseTransport):
    """Real HTTP; after its first answered GET each run waits for the other's, so that both
    look-ups are done before either create: the race, every time, without sleeping."""

    def __init__(self, barrier: threading.Barrier) -> None:
        self._inner = httpx.HTTPTransport()
        self._barrier = barrier
        self._waited = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        if request.method == "GET" and not self._waited:
            self._waited = True
            response.read()
            self._barrier.wait(timeout=30)
        return response

    def close(self) -> None:
        self._inner.close()


@pytest.mark.parametrize(
    ("action", "params", "listed"),
    [
        ("find_or_create_project", {"name": "Launch Party"}, "projects"),
        (
            "find_or_create_project",
            {"name": "Website Redesign", "client_id": DEMO_CLIENT_ID, "is_private": True},
            "projects",
        ),
        ("find_or_create_task", {"project_id": SAMPLE_PROJECT_ID, "name": "Deploy"}, "tasks"),
    ],
    ids=["project", "project-of-a-client", "task"],
)
def test_two_racing_runs_end_with_one_item_and_both_report_it(
    sandbox: Sandbox, pack: Pack, action: str, params: dict[str, Any], listed: str
) -> None:
    if "client_id" in params:  # the client's own name is free: take it off its project first
        with httpx.Client(transport=sandbox.transport(), base_url="https://api.clockify.me/api/v1",
                          headers={"X-Api-Key": DEMO_API_KEY}) as api:  # fmt: skip
            api.put(
                f"/workspaces/{DEMO_WORKSPACE_ID}/projects/{CLIENT_PROJECT_ID}",
                json={"name": "Website Redesign", "clientId": ""},
            ).raise_for_status()
    server = sandbox.serve()
    barrier = threading.Barrier(2)

    def one_run() -> dict[str, Any]:
        return pack.run(
            action,
            {"workspace_id": DEMO_WORKSPACE_ID, **params},
            api_key=DEMO_API_KEY,
            base_url=server.base_url,
            transport=_ReadTogether(barrier),
            settings=SANDBOX_FAST,
        )

    with ThreadPoolExecutor(2) as pool:
        results = [future.result() for future in [pool.submit(one_run), pool.submit(one_run)]]
    assert [r["status"] for r in results] == ["success", "success"], results
    assert sorted(r["created"] for r in results) == [False, True]
    assert results[0]["id"] == results[1]["id"]
    posts = [(r.method, r.status) for r in sandbox.request_log() if r.method == "POST"]
    assert sorted(posts) == [("POST", 201), ("POST", 400)], "both runs tried to create"
    with httpx.Client(transport=sandbox.transport(), base_url="https://api.clockify.me/api/v1",
                      headers={"X-Api-Key": DEMO_API_KEY}) as api:  # fmt: skip
        if listed == "projects":
            items = api.get(f"/workspaces/{DEMO_WORKSPACE_ID}/projects").json()
            same = [p for p in items if p["name"] == params["name"]
                    and p["clientId"] == params.get("client_id", "")]  # fmt: skip
        else:
            path = f"/workspaces/{DEMO_WORKSPACE_ID}/projects/{SAMPLE_PROJECT_ID}/tasks"
            same = [t for t in api.get(path).json() if t["name"] == params["name"]]
    assert [item["id"] for item in same] == [results[0]["id"]]
