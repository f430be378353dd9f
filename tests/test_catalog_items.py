"""One client, tag or task by id: what the get, update, delete and rate actions send and
decide. Clockify's PUTs replace the whole record, so an update sends back what it read
and reports another's change in between as a conflict; deletes and rates are one write,
checked to be about the record asked for; bad input is refused before anything is sent.
Against a scripted Clockify, and against the sandbox for the archive-before-delete rules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clockify_actions import Pack
from clockify_actions.clockify import ClientSettings, RetrySettings
from clockify_actions.sandbox import (
    DEMO_API_KEY,
    DEMO_CLIENT_ID,
    DEMO_WORKSPACE_ID,
    DESIGN_TASK_ID,
    SAMPLE_PROJECT_ID,
    Sandbox,
)
from conftest import Run
from fake_clockify import WS, FakeClockify

CLIENT = "7b3c4d5e6f7a8b9c0d1e2f3a"
TAG = "7b3c4d5e6f7a8b9c0d1e2f3b"
PROJECT = "6a2b3c4d5e6f7a8b9c0d1e2f"
TASK = "8c4d5e6f7a8b9c0d1e2f3a4b"
OTHER = "8c4d5e6f7a8b9c0d1e2f3aff"
CLIENT_PATH = f"/workspaces/{WS}/clients/{CLIENT}"
TAG_PATH = f"/workspaces/{WS}/tags/{TAG}"
TASK_PATH = f"/workspaces/{WS}/projects/{PROJECT}/tasks/{TASK}"
SANDBOX_FAST = ClientSettings(requests_per_second=None, retry=RetrySettings(max_attempts=1))


def client(**fields: Any) -> dict[str, Any]:
    return {
        "id": CLIENT,
        "name": "Acme Corp",
        "workspaceId": WS,
        "archived": False,
        "email": "billing@acme.example",
        "address": "1 Main St",
        "note": None,
        "ccEmails": ["boss@acme.example"],
        "currencyId": "5e2f3a4b5c6d7e8f9a0b1c2d",
        "currencyCode": "USD",
        **fields,
    }


def tag(**fields: Any) -> dict[str, Any]:
    return {"id": TAG, "name": "Old", "workspaceId": WS, "archived": True, **fields}


def task(**fields: Any) -> dict[str, Any]:
    return {
        "id": TASK,
        "name": "Design",
        "projectId": PROJECT,
        "status": "ACTIVE",
        "billable": True,
        "estimate": "PT2H",
        "budgetEstimate": 5000,
        "assigneeIds": ["5a0ab5acb07987125438b60f"],
        "userGroupIds": ["5a0ab5acb07987125438b610"],
        "hourlyRate": None,
        "costRate": None,
        **fields,
    }


def _record(details: list[dict[str, Any]]) -> dict[str, Any]:
    return next(d for d in details if "attempts" in d)


# --- updates send back what a replace would clear ---------------------------------------------


def test_update_client_sends_back_what_a_replace_would_clear(
    run: Run, clockify: FakeClockify
) -> None:
    clockify.answer("GET", CLIENT_PATH, body=client())
    clockify.answer("PUT", CLIENT_PATH, body=client(name="Acme Inc"))
    params = {"workspace_id": WS, "client_id": CLIENT, "name": "  Acme \t Inc "}
    assert run("update_client", params)["name"] == "Acme Inc"
    get, put = clockify.sent
    assert get.method == "GET"
    assert put.body == {
        "name": "Acme Inc",  # in clean_name's form
        "archived": False,
        "email": "billing@acme.example",
        "address": "1 Main St",
        "note": None,
        "ccEmails": ["boss@acme.example"],
    }  # the currency is left out: it survives a PUT without currencyId (§15.3)
    assert put.query == {}


def test_update_client_clears_a_field_given_null_and_archives_with_its_projects(
    run: Run, clockify: FakeClockify
) -> None:
    clockify.answer("GET", CLIENT_PATH, body=client())
    clockify.answer("PUT", CLIENT_PATH, body=client(email=None, archived=True))
    params = {
        "workspace_id": WS,
        "client_id": CLIENT,
        "email": None,
        "archived": True,
        "archive_projects": True,
    }
    result = run("update_client", params)
    assert (result["email"], result["archived"]) == (None, True)
    put = clockify.sent[1]
    assert (put.body["email"], put.body["archived"]) == (None, True)
    assert put.query == {"archive-projects": "true"}


def test_update_tag_sends_archived_back_so_a_rename_does_not_unarchive(
    run: Run, clockify: FakeClockify
) -> None:
    clockify.answer("GET", TAG_PATH, body=tag())
    clockify.answer("PUT", TAG_PATH, body=tag(name="Older"))
    result = run("update_tag", {"workspace_id": WS, "tag_id": TAG, "name": "Older"})
    assert (result["name"], result["archived"]) == ("Older", True)
    assert clockify.sent[1].body == {"name": "Older", "archived": True}


def test_update_task_sends_back_assignees_estimate_and_budget(
    run: Run, clockify: FakeClockify
) -> None:
    clockify.answer("GET", TASK_PATH, body=task())
    clockify.answer("PUT", TASK_PATH, body=task(status="DONE"))
    params = {"workspace_id": WS, "project_id": PROJECT, "task_id": TASK, "done": True}
    assert run("update_task", params)["done"] is True
    assert clockify.sent[1].body == {
        "name": "Design",
        "status": "DONE",
        "billable": True,
        "estimate": "PT2H",
        "budgetEstimate": 5000,
        "assigneeIds": ["5a0ab5acb07987125438b60f"],
        "userGroupIds": ["5a0ab5acb07987125438b610"],
    }


@pytest.mark.parametrize(
    ("action", "path", "read", "answered", "params", "field"),
    [
        ("update_client", CLIENT_PATH, client(), client(note="Changed", archived=True),
         {"client_id": CLIENT, "archived": True}, "note"),
        ("update_tag", TAG_PATH, tag(), tag(name="Renamed", archived=False),
         {"tag_id": TAG, "archived": False}, "name"),
        ("update_task", TASK_PATH, task(), task(billable=False, status="DONE"),
         {"project_id": PROJECT, "task_id": TASK, "done": True}, "billable"),
    ],
    ids=["client", "tag", "task"],
)  # fmt: skip
def test_a_change_made_between_read_and_write_is_a_conflict_after_one_write(
    run: Run,
    clockify: FakeClockify,
    action: str,
    path: str,
    read: dict[str, Any],
    answered: dict[str, Any],
    params: dict[str, Any],
    field: str,
) -> None:
    clockify.answer("GET", path, body=read)
    clockify.answer("PUT", path, body=answered)
    error = run(action, {"workspace_id": WS, **params})["error"]
    assert error["type"] == "conflict"
    assert any(d.get("path") == f"/{field}" for d in error["details"])
    assert _record(error["details"]) == {"attempts": 1, "outcome": "applied"}
    assert [s.method for s in clockify.sent] == ["GET", "PUT"]


# --- bad input is refused before anything is sent ---------------------------------------------


@pytest.mark.parametrize(
    ("action", "params", "path"),
    [
        ("update_client", {"client_id": CLIENT}, ""),
        ("update_client", {"client_id": CLIENT, "archive_projects": True}, ""),
        ("update_client", {"client_id": CLIENT, "name": "Acme", "mark_tasks_as_done": True},
         "/mark_tasks_as_done"),
        ("update_client", {"client_id": CLIENT, "archived": False, "archive_projects": True},
         "/archive_projects"),
        ("update_client", {"client_id": CLIENT, "name": "   "}, "/name"),
        ("update_tag", {"tag_id": TAG}, ""),
        ("update_tag", {"tag_id": TAG, "name": "x" * 101}, "/name"),
        ("update_task", {"project_id": PROJECT, "task_id": TASK}, ""),
        ("set_task_rate", {"project_id": PROJECT, "task_id": TASK, "kind": "hourly",
                           "amount": -1}, "/amount"),
        ("set_task_rate", {"project_id": PROJECT, "task_id": TASK, "kind": "billable",
                           "amount": 100}, "/kind"),
        ("set_task_rate", {"project_id": PROJECT, "task_id": TASK, "kind": "cost",
                           "amount": 12.5}, "/amount"),
        ("set_task_rate", {"project_id": PROJECT, "task_id": TASK, "kind": "cost",
                           "amount": 2**31}, "/amount"),
    ],
)  # fmt: skip
def test_bad_input_sends_nothing(
    run: Run, clockify: FakeClockify, action: str, params: dict[str, Any], path: str
) -> None:
    result = run(action, {"workspace_id": WS, **params})
    assert result["error"]["type"] == "validation_error", result
    assert result["error"]["details"][0]["path"] == path
    assert clockify.sent == []


# --- deletes and rates: one write, about the record asked for ---------------------------------


@pytest.mark.parametrize(
    ("action", "path", "answer", "params"),
    [
        ("delete_client", CLIENT_PATH, client(id=OTHER, archived=True), {"client_id": CLIENT}),
        ("delete_tag", TAG_PATH, tag(id=OTHER), {"tag_id": TAG}),
        ("delete_task", TASK_PATH, task(id=OTHER, status="DONE"),
         {"project_id": PROJECT, "task_id": TASK}),
    ],
    ids=["client", "tag", "task"],
)  # fmt: skip
def test_a_delete_answered_about_another_record_is_a_contract_error_applied(
    run: Run, clockify: FakeClockify, action: str, path: str, answer: Any, params: Any
) -> None:
    clockify.answer("DELETE", path, body=answer)
    error = run(action, {"workspace_id": WS, **params})["error"]
    assert error["type"] == "contract_error"
    assert _record(error["details"]) == {"attempts": 1, "outcome": "applied"}
    assert clockify.only.method == "DELETE"


@pytest.mark.parametrize(("kind", "route"), [("hourly", "hourly-rate"), ("cost", "cost-rate")])
def test_set_task_rate_puts_the_amount_once_on_the_route_of_its_kind(
    run: Run, clockify: FakeClockify, kind: str, route: str
) -> None:
    rate = {"amount": 7500.0, "currency": "EUR"}
    clockify.answer("PUT", f"{TASK_PATH}/{route}", body=task(**{f"{kind}Rate": rate}))
    params = {"workspace_id": WS, "project_id": PROJECT, "task_id": TASK, "kind": kind}
    result = run("set_task_rate", {**params, "amount": 7500})
    assert result[f"{kind}_rate"] == {"amount": 7500, "currency": "EUR"}
    assert clockify.only.body == {"amount": 7500}


def test_set_task_rate_answered_about_another_task_is_a_contract_error_applied(
    run: Run, clockify: FakeClockify
) -> None:
    clockify.answer("PUT", f"{TASK_PATH}/hourly-rate", body=task(projectId=OTHER))
    params = {"workspace_id": WS, "project_id": PROJECT, "task_id": TASK}
    error = run("set_task_rate", {**params, "kind": "hourly", "amount": 1})["error"]
    assert error["type"] == "contract_error"
    assert _record(error["details"]) == {"attempts": 1, "outcome": "applied"}


# --- against the sandbox: archive (or finish) before delete -----------------------------------


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as opened:
        yield opened


def test_an_active_client_is_archived_before_it_can_be_deleted(
    pack: Pack, sandbox: Sandbox
) -> None:
    def run(action: str, **params: Any) -> dict[str, Any]:
        params = {"workspace_id": DEMO_WORKSPACE_ID, "client_id": DEMO_CLIENT_ID, **params}
        return pack.run(action, params, api_key=DEMO_API_KEY, transport=sandbox.transport(),
                        settings=SANDBOX_FAST)  # fmt: skip

    refused = run("delete_client")
    assert refused["error"]["type"] == "rejected"
    assert "Cannot delete an active client" in refused["error"]["message"]
    assert run("get_client")["archived"] is False  # still there, unchanged
    assert run("update_client", archived=True)["archived"] is True
    assert run("delete_client") == {
        "status": "success",
        "id": DEMO_CLIENT_ID,
        "name": "Acme Corp",
        "deleted": True,
    }
    assert run("get_client")["error"]["type"] == "not_found"


def test_an_active_task_is_marked_done_before_it_can_be_deleted(
    pack: Pack, sandbox: Sandbox
) -> None:
    def run(action: str, **params: Any) -> dict[str, Any]:
        params = {"workspace_id": DEMO_WORKSPACE_ID, "project_id": SAMPLE_PROJECT_ID,
                  "task_id": DESIGN_TASK_ID, **params}  # fmt: skip
        return pack.run(action, params, api_key=DEMO_API_KEY, transport=sandbox.transport(),
                        settings=SANDBOX_FAST)  # fmt: skip

    assert run("set_task_rate", kind="hourly", amount=4200)["hourly_rate"]["amount"] == 4200
    assert run("delete_task")["error"]["type"] == "rejected"
    done = run("update_task", done=True)
    assert (done["done"], done["billable"]) == (True, True)
    # The replace kept what it was not asked to change: the rate is still there.
    assert run("get_task")["hourly_rate"] == {"amount": 4200, "currency": "USD"}
    assert run("delete_task")["deleted"] is True
    assert run("get_task")["error"]["type"] == "not_found"
