"""One client, tag, task or project read, replaced and deleted, their rates and estimates
set, and a user's entries edited, deleted and copied in bulk, as Clockify answers
(Clockify's API facts, part 3, §32, §33): archive before delete where Clockify asks it, replace
semantics on PUT, and the refusals of an id that is not the workspace's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from clockify_actions.sandbox import (
    ARCHIVED_CLIENT_ID,
    ARCHIVED_PROJECT_ID,
    CLIENT_PROJECT_ID,
    COLLEAGUE_USER_ID,
    DEMO_API_KEY,
    DEMO_CLIENT_ID,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    DESIGN_TASK_ID,
    FOREIGN_TAG_ID,
    MEETING_TAG_ID,
    REVIEW_TASK_ID,
    SAMPLE_PROJECT_ID,
    SAMPLE_TIME_ENTRY_ID,
    URGENT_TAG_ID,
    Sandbox,
)

WS = f"/workspaces/{DEMO_WORKSPACE_ID}"
TASKS = f"{WS}/projects/{SAMPLE_PROJECT_ID}/tasks"
UNKNOWN_ID = "64b7c0de5eed00000000ffff"


@pytest.fixture
def api(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url="https://api.clockify.me/api/v1",
        transport=sandbox.transport(),
        headers={"X-Api-Key": DEMO_API_KEY},
    ) as client:
        yield client


def _error(answer: httpx.Response) -> tuple[int, str]:
    body: dict[str, Any] = answer.json()
    return answer.status_code, body["message"]


# --- tags -------------------------------------------------------------------------------------


def test_a_tag_is_read_replaced_and_deleted(api: httpx.Client) -> None:
    tag = f"{WS}/tags/{URGENT_TAG_ID}"
    assert api.get(tag).json() == {
        "id": URGENT_TAG_ID,
        "name": "Urgent",
        "workspaceId": DEMO_WORKSPACE_ID,
        "archived": False,
    }
    archived = api.put(tag, json={"name": "Urgent!", "archived": True}).json()
    assert (archived["name"], archived["archived"]) == ("Urgent!", True)
    # A replace: `archived` omitted un-archives (§32.2).
    assert api.put(tag, json={"name": "Urgent!"}).json()["archived"] is False
    assert _error(api.put(tag, json={"name": "meeting"})) == (
        400,
        "Tag with name meeting already exists",
    )
    assert api.delete(tag).json()["name"] == "Urgent!"
    assert _error(api.get(tag)) == (400, "Tag doesn't belong to Workspace")
    assert api.post(f"{WS}/tags", json={"name": "Urgent!"}).status_code == 201  # name freed


@pytest.mark.parametrize("tag_id", [UNKNOWN_ID, FOREIGN_TAG_ID, "NOT-AN-ID"])
def test_a_tag_not_of_the_workspace_is_refused(api: httpx.Client, tag_id: str) -> None:
    for answer in (
        api.get(f"{WS}/tags/{tag_id}"),
        api.put(f"{WS}/tags/{tag_id}", json={"name": "x"}),
        api.delete(f"{WS}/tags/{tag_id}"),
    ):
        assert _error(answer) == (400, "Tag doesn't belong to Workspace")


# --- clients ----------------------------------------------------------------------------------


def test_a_client_is_archived_before_it_is_deleted(api: httpx.Client) -> None:
    client = f"{WS}/clients/{DEMO_CLIENT_ID}"
    assert api.get(client).json()["name"] == "Acme Corp"
    assert _error(api.delete(client)) == (400, "Cannot delete an active client")
    body = {"name": "Acme Inc", "email": "a@acme.test", "ccEmails": ["b@acme.test"]}
    renamed = api.put(client, json=body).json()
    assert (renamed["name"], renamed["email"], renamed["ccEmails"]) == (
        "Acme Inc",
        "a@acme.test",
        ["b@acme.test"],
    )
    project = api.get(f"{WS}/projects/{CLIENT_PROJECT_ID}").json()
    assert project["clientName"] == "Acme Inc"
    # A replace: what the body leaves out is cleared (§32.1).
    archived = api.put(client, json={"name": "Acme Inc", "archived": True}).json()
    assert (archived["email"], archived["ccEmails"], archived["archived"]) == (None, None, True)
    deleted = api.delete(client)
    assert (deleted.status_code, deleted.json()["id"]) == (200, DEMO_CLIENT_ID)
    assert _error(api.get(client)) == (400, "Client doesn't belong to Workspace")


def test_a_client_takes_at_most_three_cc_addresses(api: httpx.Client) -> None:
    emails = [f"{n}@acme.test" for n in range(4)]
    answer = api.put(f"{WS}/clients/{DEMO_CLIENT_ID}", json={"name": "Acme", "ccEmails": emails})
    assert answer.json() == {
        "message": "Number of additional emails must be less than 3",
        "code": 501,
    }
    three = api.put(f"{WS}/clients/{DEMO_CLIENT_ID}", json={"name": "Acme", "ccEmails": emails[:3]})
    assert three.status_code == 200


def test_a_client_put_is_held_to_the_specs_lengths(api: httpx.Client) -> None:
    client = f"{WS}/clients/{DEMO_CLIENT_ID}"
    for body, field, most in (
        ({"name": "x" * 101}, "name", 100),
        ({"name": "Acme", "address": "x" * 3001}, "address", 3000),
        ({"name": "Acme", "note": "x" * 3001}, "note", 3000),
    ):
        assert _error(api.put(client, json=body)) == (
            400,
            f"{field}: size must be between 0 and {most}",
        )
    assert api.get(client).json()["name"] == "Acme Corp"  # nothing was stored
    assert api.put(client, json={"name": "x" * 100, "note": "y" * 3000}).status_code == 200


def test_archiving_a_client_can_archive_its_projects_and_finish_their_tasks(
    api: httpx.Client,
) -> None:
    answer = api.put(
        f"{WS}/clients/{DEMO_CLIENT_ID}",
        params={"archive-projects": "true", "mark-tasks-as-done": "true"},
        json={"name": "Acme Corp", "archived": True},
    )
    assert answer.status_code == 200
    assert api.get(f"{WS}/projects/{CLIENT_PROJECT_ID}").json()["archived"] is True
    tasks = api.get(f"{WS}/projects/{CLIENT_PROJECT_ID}/tasks").json()
    assert tasks and {task["status"] for task in tasks} == {"DONE"}


def test_an_archived_client_is_deleted_with_its_body(api: httpx.Client) -> None:
    answer = api.delete(f"{WS}/clients/{ARCHIVED_CLIENT_ID}")
    assert (answer.status_code, answer.json()["archived"]) == (200, True)


# --- tasks ------------------------------------------------------------------------------------


def test_a_task_is_marked_done_before_it_is_deleted(api: httpx.Client) -> None:
    task = f"{TASKS}/{DESIGN_TASK_ID}"
    assert api.get(task).json()["name"] == "Design"
    assert _error(api.delete(task)) == (400, "Cannot delete an active task")
    done = api.put(task, json={"name": "Design", "status": "DONE"}).json()
    assert done["status"] == "DONE"
    deleted = api.delete(task)
    assert (deleted.status_code, deleted.json()["id"]) == (200, DESIGN_TASK_ID)
    assert _error(api.get(task)) == (400, "Task doesn't belong to Project")


def test_a_task_put_needs_a_name_and_replaces(api: httpx.Client) -> None:
    task = f"{TASKS}/{DESIGN_TASK_ID}"
    assert api.put(task, json={"status": "DONE"}).status_code == 400
    body = {"name": "Design", "estimate": "PT2H", "assigneeIds": [DEMO_USER_ID]}
    assert api.put(task, json=body).json()["estimate"] == "PT2H"
    replaced = api.put(task, json={"name": "Design"}).json()
    assert (replaced["estimate"], replaced["assigneeIds"]) == ("PT0S", [])
    taken = api.put(f"{TASKS}/{REVIEW_TASK_ID}", json={"name": "design"})
    assert _error(taken) == (400, "Task with name 'design' already exists")


def test_a_task_put_without_billable_makes_it_not_billable(api: httpx.Client) -> None:
    # The project is billable, and so is its task; a replace that leaves billable out
    # takes the request's default, false, not the project's (§32.3).
    task = f"{WS}/projects/{CLIENT_PROJECT_ID}/tasks"
    created = api.post(task, json={"name": "Billable work"}).json()
    assert created["billable"] is True
    replaced = api.put(f"{task}/{created['id']}", json={"name": "Billable work"}).json()
    assert replaced["billable"] is False


def test_a_task_of_another_project_is_refused(api: httpx.Client) -> None:
    answer = api.get(f"{WS}/projects/{CLIENT_PROJECT_ID}/tasks/{DESIGN_TASK_ID}")
    assert _error(answer) == (400, "Task doesn't belong to Project")


def test_a_tasks_rates_are_set_in_cents(api: httpx.Client) -> None:
    task = f"{TASKS}/{DESIGN_TASK_ID}"
    rated = api.put(f"{task}/hourly-rate", json={"amount": 4321}).json()
    assert rated["hourlyRate"] == {"amount": 4321, "currency": "USD"}
    assert api.put(f"{task}/cost-rate", json={"amount": 1000}).json()["costRate"]["amount"] == 1000
    assert api.get(f"{task}/hourly-rate").status_code == 405
    assert api.put(f"{task}/hourly-rate", json={}).status_code == 400


# --- projects ---------------------------------------------------------------------------------


def test_a_project_is_archived_before_it_is_deleted(api: httpx.Client) -> None:
    project = f"{WS}/projects/{SAMPLE_PROJECT_ID}"
    assert _error(api.delete(project)) == (400, "Cannot delete an active project")
    deleted = api.delete(f"{WS}/projects/{ARCHIVED_PROJECT_ID}")
    assert (deleted.status_code, deleted.json()["id"]) == (200, ARCHIVED_PROJECT_ID)
    assert _error(api.get(f"{WS}/projects/{ARCHIVED_PROJECT_ID}")) == (
        400,
        "Project doesn't belong to Workspace",
    )


def test_a_projects_estimate_memberships_and_template_are_patched(api: httpx.Client) -> None:
    project = f"{WS}/projects/{SAMPLE_PROJECT_ID}"
    estimate = {
        "timeEstimate": {"estimate": "PT8H", "type": "MANUAL", "active": True},
        "budgetEstimate": {"estimate": 500000, "type": "MANUAL"},
    }
    patched = api.patch(f"{project}/estimate", json=estimate).json()
    assert patched["estimate"] == {"estimate": "PT8H", "type": "MANUAL"}
    assert patched["budgetEstimate"]["estimate"] == 500000
    members = {"memberships": [{"userId": COLLEAGUE_USER_ID, "hourlyRate": {"amount": 5000}}]}
    replaced = api.patch(f"{project}/memberships", json=members).json()["memberships"]
    assert [(m["userId"], m["hourlyRate"]) for m in replaced] == [
        (COLLEAGUE_USER_ID, {"amount": 5000, "currency": "USD"})
    ]
    added = api.post(f"{project}/memberships", json={"userIds": [DEMO_USER_ID]}).json()
    assert [m["userId"] for m in added["memberships"]] == [COLLEAGUE_USER_ID, DEMO_USER_ID]
    removed = api.post(f"{project}/memberships", json={"userIds": [DEMO_USER_ID], "remove": True})
    assert [m["userId"] for m in removed.json()["memberships"]] == [COLLEAGUE_USER_ID]
    assert api.put(f"{project}/memberships", json=members).status_code == 405
    assert api.patch(f"{project}/template", json={"isTemplate": True}).json()["template"] is True
    copy = api.post(
        f"{WS}/projects/from-template",
        json={"templateProjectId": SAMPLE_PROJECT_ID, "name": "From the template"},
    )
    assert (copy.status_code, copy.json()["name"]) == (200, "From the template")


def test_rates_are_set_on_the_workspace_its_members_and_project_members(
    api: httpx.Client,
) -> None:
    workspace = api.put(f"{WS}/hourly-rate", json={"amount": 2000, "currency": "USD"}).json()
    assert workspace["hourlyRate"] == {"amount": 2000, "currency": "USD"}
    assert api.put(f"{WS}/cost-rate", json={"amount": 700}).json()["costRate"]["amount"] == 700
    member = api.put(f"{WS}/users/{DEMO_USER_ID}/hourly-rate", json={"amount": 3000}).json()
    (mine,) = [m for m in member["memberships"] if m["userId"] == DEMO_USER_ID]
    assert mine["hourlyRate"] == {"amount": 3000, "currency": "USD"}
    path = f"{WS}/projects/{SAMPLE_PROJECT_ID}/users/{DEMO_USER_ID}/cost-rate"
    (on_project,) = [
        m
        for m in api.put(path, json={"amount": 900}).json()["memberships"]
        if m["userId"] == DEMO_USER_ID
    ]
    assert on_project["costRate"] == {"amount": 900, "currency": "USD"}
    assert api.get(f"{WS}/hourly-rate").status_code == 405
    refused = api.put(f"{WS}/users/{UNKNOWN_ID}/hourly-rate", json={"amount": 1})
    assert _error(refused) == (400, "User doesn't belong to Workspace")


# --- time entries in bulk ---------------------------------------------------------------------


def _entry(api: httpx.Client, description: str) -> dict[str, Any]:
    body = {
        "start": "2026-01-27T09:00:00Z",
        "end": "2026-01-27T10:00:00Z",
        "description": description,
        "projectId": SAMPLE_PROJECT_ID,
        "tagIds": [MEETING_TAG_ID],
    }
    answer = api.post(f"{WS}/time-entries", json=body)
    assert answer.status_code == 201, answer.text
    entry: dict[str, Any] = answer.json()
    return entry


def test_entries_are_replaced_in_bulk_from_an_array(api: httpx.Client) -> None:
    first, second = _entry(api, "one"), _entry(api, "two")
    entries = f"{WS}/user/{DEMO_USER_ID}/time-entries"
    body = [
        {
            "id": first["id"],
            "start": "2026-01-27T08:00:00Z",
            "end": "2026-01-27T09:00:00Z",
            "projectId": SAMPLE_PROJECT_ID,
        },
        {"id": second["id"], "start": "2026-01-27T11:00:00Z", "description": "still"},
    ]
    answer = api.put(entries, json=body)
    assert answer.status_code == 200, answer.text
    assert [(e["description"], e["timeInterval"]["end"]) for e in answer.json()] == [
        ("", "2026-01-27T09:00:00Z"),
        ("still", None),
    ]
    # The base shape has no rates; `hydrated` adds them with the embedded objects (§33.2).
    assert "hourlyRate" not in answer.json()[0]
    not_a_list = api.put(entries, json={"end": "2026-01-27T12:00:00Z"})
    assert (not_a_list.status_code, not_a_list.json()["code"]) == (400, 3002)
    hydrated = api.put(entries, params={"hydrated": "true"}, json=body[:1]).json()
    assert hydrated[0]["project"]["id"] == SAMPLE_PROJECT_ID and "hourlyRate" in hydrated[0]


def test_entries_are_deleted_in_bulk_by_id(api: httpx.Client) -> None:
    first, second = _entry(api, "one"), _entry(api, "two")
    entries = f"{WS}/user/{DEMO_USER_ID}/time-entries"
    missing = api.delete(entries)
    assert (missing.status_code, missing.json()["code"]) == (400, 3001)
    answer = api.delete(entries, params={"time-entry-ids": f"{first['id']},{second['id']}"})
    assert [entry["id"] for entry in answer.json()] == [first["id"], second["id"]]
    assert "hourlyRate" not in answer.json()[0]
    gone = api.get(f"{WS}/time-entries/{first['id']}")
    assert _error(gone) == (400, "Time entry doesn't belong to Workspace")


def test_an_entry_is_duplicated_with_a_new_id(api: httpx.Client) -> None:
    original = _entry(api, "copied")
    path = f"{WS}/user/{DEMO_USER_ID}/time-entries/{original['id']}/duplicate"
    copy = api.post(path)
    assert copy.status_code == 201
    assert copy.json()["id"] != original["id"]
    assert {k: v for k, v in copy.json().items() if k != "id"} == {
        k: v for k, v in original.items() if k != "id"
    }


def test_the_invoiced_flag_is_set_without_a_body(api: httpx.Client) -> None:
    body = {"invoiced": True, "timeEntryIds": [SAMPLE_TIME_ENTRY_ID]}
    answer = api.patch(f"{WS}/time-entries/invoiced", json=body)
    assert (answer.status_code, answer.content) == (200, b"")
    entry = api.get(f"{WS}/time-entries/{SAMPLE_TIME_ENTRY_ID}").json()
    assert "invoiced" not in entry
