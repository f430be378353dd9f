"""Who may write which time entries in the sandbox, as Clockify decides it (Clockify's API
facts, part 3, §31.4, §33.1, §33.7): owners and admins write anyone's, team managers their
team's, a regular member only their own; locked periods and stopwatch-only workspaces;
the description's characters; the bulk edit failing as a whole."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import httpx
import pytest

from clockify_actions.sandbox import (
    COLLEAGUE_API_KEY,
    COLLEAGUE_USER_ID,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    SAMPLE_PROJECT_ID,
    SAMPLE_TIME_ENTRY_ID,
    Sandbox,
)

from .sandbox_testkit import ClientFactory

WS = f"/workspaces/{DEMO_WORKSPACE_ID}"
DEMOS = f"{WS}/user/{DEMO_USER_ID}/time-entries"
COLLEAGUES = f"{WS}/user/{COLLEAGUE_USER_ID}/time-entries"
FINISHED = {"start": "2026-02-02T09:00:00Z", "end": "2026-02-02T10:00:00Z"}
DENIED = (403, "Access Denied", 501)


@pytest.fixture
def colleague(connect: ClientFactory) -> httpx.Client:
    """A regular member of the demo workspace."""
    return connect(COLLEAGUE_API_KEY)


def error(response: httpx.Response) -> tuple[int, str, int]:
    return response.status_code, response.json()["message"], response.json()["code"]


def settings(sandbox: Sandbox, **changes: Any) -> None:
    """Workspace settings Clockify lets no API call change (§31.2), set in the state file."""
    with sqlite3.connect(sandbox.db_path) as db:
        (text,) = db.execute(
            "SELECT doc FROM workspaces WHERE id = ?", (DEMO_WORKSPACE_ID,)
        ).fetchone()
        doc = json.loads(text)
        doc["workspaceSettings"].update(changes)
        db.execute(
            "UPDATE workspaces SET doc = ? WHERE id = ?", (json.dumps(doc), DEMO_WORKSPACE_ID)
        )


def grant(sandbox: Sandbox, role: str, entity: str) -> None:
    """The colleague's role, as `POST /users/{uid}/roles` writes it (§37.3)."""
    with sqlite3.connect(sandbox.db_path) as db:
        db.execute(
            "INSERT INTO member_roles (workspace_id, user_id, role, entity_id) VALUES (?, ?, ?, ?)",
            (DEMO_WORKSPACE_ID, COLLEAGUE_USER_ID, role, entity),
        )


def demo_entries(sandbox: Sandbox) -> list[dict[str, Any]]:
    return sandbox.time_entries(DEMO_WORKSPACE_ID, DEMO_USER_ID)


def test_the_owner_creates_an_entry_for_a_member(api: httpx.Client) -> None:
    created = api.post(COLLEAGUES, json={**FINISHED, "projectId": SAMPLE_PROJECT_ID})
    assert created.status_code == 201, created.text
    assert created.json()["userId"] == COLLEAGUE_USER_ID


def test_a_regular_member_may_not_write_anothers_entries(
    colleague: httpx.Client, sandbox: Sandbox
) -> None:
    before = demo_entries(sandbox)
    assert error(colleague.post(DEMOS, json=FINISHED)) == DENIED
    assert error(colleague.put(DEMOS, json=[{"id": SAMPLE_TIME_ENTRY_ID, **FINISHED}])) == DENIED
    assert error(colleague.delete(DEMOS, params={"time-entry-ids": SAMPLE_TIME_ENTRY_ID})) == DENIED
    assert error(colleague.post(f"{DEMOS}/{SAMPLE_TIME_ENTRY_ID}/duplicate")) == DENIED
    single = f"{WS}/time-entries/{SAMPLE_TIME_ENTRY_ID}"
    assert error(colleague.put(single, json=FINISHED)) == DENIED
    assert error(colleague.delete(single)) == DENIED
    assert error(colleague.patch(DEMOS, json={"end": "2026-02-02T10:00:00Z"})) == DENIED
    assert demo_entries(sandbox) == before


def test_a_regular_member_writes_their_own(colleague: httpx.Client) -> None:
    created = colleague.post(COLLEAGUES, json=FINISHED)
    assert created.status_code == 201, created.text
    assert created.json()["userId"] == COLLEAGUE_USER_ID


@pytest.mark.parametrize(
    ("role", "entity"), [("WORKSPACE_ADMIN", DEMO_WORKSPACE_ID), ("TEAM_MANAGER", DEMO_USER_ID)]
)
def test_an_admin_or_the_members_team_manager_may(
    colleague: httpx.Client, sandbox: Sandbox, role: str, entity: str
) -> None:
    grant(sandbox, role, entity)
    created = colleague.post(DEMOS, json=FINISHED)
    assert created.status_code == 201, created.text
    assert created.json()["userId"] == DEMO_USER_ID


def test_a_manager_of_someone_else_may_not(colleague: httpx.Client, sandbox: Sandbox) -> None:
    grant(sandbox, "TEAM_MANAGER", COLLEAGUE_USER_ID)
    assert error(colleague.post(DEMOS, json=FINISHED)) == DENIED


def test_a_locked_period_refuses_regular_members_only(
    api: httpx.Client, colleague: httpx.Client, sandbox: Sandbox
) -> None:
    settings(sandbox, lockTimeEntries="2026-02-01T00:00:00Z")
    early = {"start": "2026-01-30T09:00:00Z", "end": "2026-01-30T10:00:00Z"}
    assert error(colleague.post(COLLEAGUES, json=early)) == (
        403,
        "Can't edit locked time entry.",
        1003,
    )
    assert colleague.post(COLLEAGUES, json=FINISHED).status_code == 201
    assert api.post(COLLEAGUES, json=early).status_code == 201  # the owner is exempt
    # Editing or deleting an entry of the locked period is refused alike.
    mine = colleague.get(COLLEAGUES).json()
    locked = next(entry for entry in mine if entry["timeInterval"]["start"] < "2026-02")
    path = f"{WS}/time-entries/{locked['id']}"
    assert colleague.put(path, json=FINISHED).status_code == 403
    assert colleague.delete(path).json()["code"] == 1003


def test_stopwatch_only_refuses_finished_entries(
    api: httpx.Client, colleague: httpx.Client, sandbox: Sandbox
) -> None:
    settings(sandbox, timeTrackingMode="STOPWATCH_ONLY")
    # On the plain route, for everyone, the owner too; on the per-user route, owners and
    # admins pass (§33.7).
    assert error(api.post(f"{WS}/time-entries", json=FINISHED))[::2] == (403, 4030)
    assert api.post(COLLEAGUES, json=FINISHED).status_code == 201
    assert error(colleague.post(COLLEAGUES, json=FINISHED))[::2] == (403, 4030)
    running = colleague.post(COLLEAGUES, json={"start": FINISHED["start"]})
    assert running.status_code == 201


def test_angle_brackets_in_a_description_are_refused(api: httpx.Client) -> None:
    refused = api.post(f"{WS}/time-entries", json={**FINISHED, "description": "a <b>bold</b>"})
    assert error(refused) == (400, "Don't use < and > characters", 501)
    single = f"{WS}/time-entries/{SAMPLE_TIME_ENTRY_ID}"
    assert api.put(single, json={**FINISHED, "description": "1 > 0"}).status_code == 400


def test_an_unknown_from_entry_is_404_with_no_body(api: httpx.Client, sandbox: Sandbox) -> None:
    before = demo_entries(sandbox)
    answer = api.post(DEMOS, params={"from-entry": "64b7c0de5eed000000000eff"}, json=FINISHED)
    assert (answer.status_code, answer.content) == (404, b"")
    assert demo_entries(sandbox) == before


def test_one_bad_item_fails_the_whole_bulk_edit(api: httpx.Client, sandbox: Sandbox) -> None:
    before = demo_entries(sandbox)
    body = [
        {"id": SAMPLE_TIME_ENTRY_ID, **FINISHED, "description": "changed"},
        {"id": "64b7c0de5eed000000000eff", **FINISHED},
    ]
    assert error(api.put(DEMOS, json=body)) == (400, "Time entry doesn't belong to Workspace", 501)
    assert demo_entries(sandbox) == before
