"""The workspace catalog routes: one workspace, one project read and replaced, a project's
tasks listed and created, and a time entry's task, tags and billable flag on create."""

from __future__ import annotations

import httpx
import pytest

from clockify_actions.sandbox import (
    ARCHIVED_PROJECT_ID,
    BUILD_TASK_ID,
    CLIENT_PROJECT_ID,
    DEMO_CLIENT_ID,
    DEMO_WORKSPACE_ID,
    DESIGN_TASK_ID,
    FOREIGN_PROJECT_ID,
    FOREIGN_TAG_ID,
    FOREIGN_WORKSPACE_ID,
    MEETING_TAG_ID,
    REVIEW_TASK_ID,
    SAMPLE_PROJECT_ID,
    SECOND_WORKSPACE_ID,
    WEBSITE_DESIGN_TASK_ID,
    Sandbox,
)

WS = f"/workspaces/{DEMO_WORKSPACE_ID}"
SAMPLE = f"{WS}/projects/{SAMPLE_PROJECT_ID}"
WEBSITE = f"{WS}/projects/{CLIENT_PROJECT_ID}"


def error(response: httpx.Response) -> tuple[int, str, int]:
    body = response.json()
    return response.status_code, body["message"], body["code"]


# --- GET /workspaces/{ws} --------------------------------------------------------------------


def test_one_workspace_is_the_element_of_the_list(api: httpx.Client) -> None:
    response = api.get(WS)
    assert response.status_code == 200
    assert response.json() == api.get("/workspaces").json()[0]
    assert response.json()["workspaceSettings"]["defaultBillableProjects"] is True


def test_a_foreign_workspace_is_403_and_writes_are_405(api: httpx.Client) -> None:
    assert error(api.get(f"/workspaces/{FOREIGN_WORKSPACE_ID}")) == (403, "Access Denied", 403)
    refused = api.put(WS, json={"name": "Renamed"})
    assert error(refused) == (405, "Request method 'PUT' is not supported", 3000)
    assert refused.headers["Allow"] == "GET"


# --- projects: GET and PUT -------------------------------------------------------------------


@pytest.mark.parametrize("project_id", [FOREIGN_PROJECT_ID, "5b641568b07987035750505e", "nope"])
def test_a_project_not_of_the_workspace_does_not_belong(api: httpx.Client, project_id: str) -> None:
    expected = (400, "Project doesn't belong to Workspace", 501)
    assert error(api.get(f"{WS}/projects/{project_id}")) == expected
    assert error(api.put(f"{WS}/projects/{project_id}", json={"name": "X1"})) == expected


def test_put_replaces_billable_and_public_but_keeps_the_rest(
    api: httpx.Client, sandbox: Sandbox
) -> None:
    before = api.get(SAMPLE).json()
    assert (before["billable"], before["public"]) == (True, True)
    response = api.put(SAMPLE, json={"name": "Sample Renamed"})
    assert response.status_code == 200
    after = response.json()
    # Omitted billable and isPublic fall to false (§19.2); colour, note, rates, client stay.
    assert (after["name"], after["billable"], after["public"]) == ("Sample Renamed", False, False)
    for kept in ("color", "note", "hourlyRate", "costRate", "clientId", "archived", "duration"):
        assert after[kept] == before[kept]
    assert api.get(SAMPLE).json() == after
    listed = api.get(f"{WS}/projects", params={"name": "sample renamed"}).json()
    assert [p["id"] for p in listed] == [SAMPLE_PROJECT_ID]


def test_put_archives_moves_client_and_sets_rates(api: httpx.Client) -> None:
    body = {
        "name": "Sample Project",
        "archived": True,
        "clientId": DEMO_CLIENT_ID,
        "color": "#FF5722",
        "hourlyRate": {"amount": 7000},
        "billable": True,
        "isPublic": True,
    }
    project = api.put(SAMPLE, json=body).json()
    assert project["archived"] is True
    assert (project["clientId"], project["clientName"]) == (DEMO_CLIENT_ID, "Acme Corp")
    assert (project["color"], project["hourlyRate"]["amount"]) == ("#FF5722", 7000)
    archived = api.get(f"{WS}/projects", params={"archived": "true"}).json()
    assert SAMPLE_PROJECT_ID in [p["id"] for p in archived]
    unarchived = api.put(SAMPLE, json={"name": "Sample Project", "archived": False}).json()
    assert unarchived["archived"] is False
    assert unarchived["clientId"] == DEMO_CLIENT_ID  # omitted: kept
    off_client = api.put(SAMPLE, json={"name": "Sample Project", "clientId": ""}).json()
    assert (off_client["clientId"], off_client["clientName"]) == ("", "")


def test_put_refuses_a_name_taken_under_the_same_client(api: httpx.Client) -> None:
    taken = api.put(SAMPLE, json={"name": "archived project"})
    assert error(taken) == (400, "archived project project for client  already exists.", 501)
    # The same name under another client is another project's to take.
    moved = api.put(SAMPLE, json={"name": "Website Redesign"})
    assert moved.status_code == 200
    clash = api.put(SAMPLE, json={"name": "Website Redesign", "clientId": DEMO_CLIENT_ID})
    assert error(clash) == (
        400,
        "Website Redesign project for client Acme Corp already exists.",
        501,
    )
    # Its own name is no clash.
    assert api.put(WEBSITE, json={"name": "Website Redesign"}).status_code == 200


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, (400, "Project name is required", 501)),
        ({"name": "X"}, (400, "Project name has to be between 2 and 250 characters long", 501)),
        ({"name": "Ok", "color": "red"}, (400, 'color: must match "^#(?:[0-9a-fA-F]{6}){1}$"', 501)),
        ({"name": "Ok", "clientId": FOREIGN_PROJECT_ID}, (400, "Client doesn't belong to Workspace", 501)),
    ],
)  # fmt: skip
def test_put_validates_like_create(
    api: httpx.Client, body: dict[str, object], expected: tuple[int, str, int]
) -> None:
    assert error(api.put(SAMPLE, json=body)) == expected
    assert api.get(SAMPLE).json()["name"] == "Sample Project"


def test_put_without_a_body_is_spring_3002(api: httpx.Client) -> None:
    status, message, code = error(api.put(SAMPLE))
    assert (status, code) == (400, 3002)
    assert message.startswith("Required request body is missing: ")


def test_archive_subpath_is_no_route(api: httpx.Client) -> None:
    response = api.put(f"{SAMPLE}/archive", json={})
    assert error(response) == (
        404,
        f"No static resource v1/workspaces/{DEMO_WORKSPACE_ID}/projects/{SAMPLE_PROJECT_ID}/archive.",
        3000,
    )


# --- projects: create defaults ---------------------------------------------------------------


def test_a_new_project_is_billable_by_the_workspace_default(api: httpx.Client) -> None:
    assert api.post(f"{WS}/projects", json={"name": "Defaulted"}).json()["billable"] is True
    explicit = api.post(f"{WS}/projects", json={"name": "Unbilled", "billable": False})
    assert explicit.json()["billable"] is False


# --- tasks ------------------------------------------------------------------------------------


def names(response: httpx.Response) -> list[str]:
    assert response.status_code == 200
    return [task["name"] for task in response.json()]


def test_tasks_listed_active_and_done_unless_is_active(api: httpx.Client) -> None:
    everything = api.get(f"{SAMPLE}/tasks")
    assert names(everything) == ["Design", "Review"]
    assert everything.headers["Last-Page"] == "true"
    assert [t["status"] for t in everything.json()] == ["ACTIVE", "DONE"]
    assert names(api.get(f"{SAMPLE}/tasks", params={"is-active": "true"})) == ["Design"]
    assert names(api.get(f"{SAMPLE}/tasks", params={"is-active": "false"})) == ["Design", "Review"]
    assert names(api.get(f"{WEBSITE}/tasks")) == ["Build", "Design"]


def test_task_name_contains_ignoring_case_or_whole_with_strict(api: httpx.Client) -> None:
    assert names(api.get(f"{SAMPLE}/tasks", params={"name": "SIG"})) == ["Design"]
    strict = {"name": "desig", "strict-name-search": "true"}
    assert names(api.get(f"{SAMPLE}/tasks", params=strict)) == []
    strict["name"] = "design"
    assert [t["id"] for t in api.get(f"{SAMPLE}/tasks", params=strict).json()] == [DESIGN_TASK_ID]


def test_tasks_page(api: httpx.Client) -> None:
    first = api.get(f"{SAMPLE}/tasks", params={"page-size": 1})
    assert (names(first), first.headers["Last-Page"]) == (["Design"], "false")
    second = api.get(f"{SAMPLE}/tasks", params={"page-size": 1, "page": 2})
    assert (names(second), second.headers["Last-Page"]) == (["Review"], "true")


def test_is_active_not_a_boolean_is_code_3000(api: httpx.Client) -> None:
    response = api.get(f"{SAMPLE}/tasks", params={"is-active": "maybe"})
    assert error(response) == (
        400,
        "Method parameter 'is-active': Failed to convert value of type 'java.lang.String' to"
        " required type 'java.lang.Boolean'; Invalid boolean value [maybe]",
        3000,
    )


def test_tasks_of_a_project_not_of_the_workspace(api: httpx.Client) -> None:
    expected = (400, "Project doesn't belong to Workspace", 501)
    assert error(api.get(f"{WS}/projects/{FOREIGN_PROJECT_ID}/tasks")) == expected
    assert (
        error(api.post(f"{WS}/projects/{FOREIGN_PROJECT_ID}/tasks", json={"name": "T"})) == expected
    )


def test_create_task_defaults(api: httpx.Client) -> None:
    response = api.post(f"{SAMPLE}/tasks", json={"name": "  Deploy  "})
    assert response.status_code == 201
    task = response.json()
    assert task["name"] == "Deploy"
    assert (task["status"], task["estimate"], task["duration"]) == ("ACTIVE", "PT0S", "PT0S")
    assert (task["projectId"], task["billable"]) == (SAMPLE_PROJECT_ID, True)
    assert (task["hourlyRate"], task["costRate"], task["assigneeIds"]) == (None, None, [])
    assert task in api.get(f"{SAMPLE}/tasks").json()
    archived = api.post(f"{WS}/projects/{ARCHIVED_PROJECT_ID}/tasks", json={"name": "Old work"})
    assert archived.json()["billable"] is False  # from its project


def test_create_task_with_status_billable_and_estimate(api: httpx.Client) -> None:
    body = {"name": "Retro", "status": "DONE", "billable": False, "estimate": "PT2H"}
    task = api.post(f"{SAMPLE}/tasks", json=body).json()
    assert (task["status"], task["billable"], task["estimate"]) == ("DONE", False, "PT2H")
    assert "Retro" not in names(api.get(f"{SAMPLE}/tasks", params={"is-active": "true"}))


@pytest.mark.parametrize("name", ["Design", "design", "Review"])
def test_a_task_name_in_use_in_the_project_is_400(api: httpx.Client, name: str) -> None:
    response = api.post(f"{SAMPLE}/tasks", json={"name": name})
    assert error(response) == (400, f"Task with name '{name}' already exists", 501)
    assert len(api.get(f"{SAMPLE}/tasks").json()) == 2


def test_the_same_task_name_in_another_project_is_allowed(api: httpx.Client) -> None:
    response = api.post(f"{WS}/projects/{ARCHIVED_PROJECT_ID}/tasks", json={"name": "Design"})
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, (400, "Task name has to be between 1 and 1000 characters long", 501)),
        ({"name": "   "}, (400, "Task name has to be between 1 and 1000 characters long", 501)),
        ({"name": "x" * 1001}, (400, "Task name has to be between 1 and 1000 characters long", 501)),
        ({"name": "T", "estimate": "2h"}, (400, 'Text cannot be parsed to a Duration: "2h"', 501)),
    ],
)  # fmt: skip
def test_create_task_validates(
    api: httpx.Client, body: dict[str, object], expected: tuple[int, str, int]
) -> None:
    assert error(api.post(f"{SAMPLE}/tasks", json=body)) == expected


def test_create_task_status_not_an_enum_is_a_body_error(api: httpx.Client) -> None:
    status, _, code = error(api.post(f"{SAMPLE}/tasks", json={"name": "T", "status": "OPEN"}))
    assert (status, code) == (400, 3002)


# --- a time entry's task, tags and billable --------------------------------------------------


def entry(**fields: object) -> dict[str, object]:
    return {"start": "2026-01-28T09:00:00Z", "end": "2026-01-28T10:00:00Z", **fields}


def test_an_entry_takes_a_task_of_its_project_tags_and_billable(api: httpx.Client) -> None:
    body = entry(
        projectId=SAMPLE_PROJECT_ID, taskId=DESIGN_TASK_ID, tagIds=[MEETING_TAG_ID], billable=True
    )
    created = api.post(f"{WS}/time-entries", json=body).json()
    assert (created["taskId"], created["tagIds"], created["billable"]) == (
        DESIGN_TASK_ID,
        [MEETING_TAG_ID],
        True,
    )
    # A done task is still the project's.
    done = api.post(
        f"{WS}/time-entries", json=entry(projectId=SAMPLE_PROJECT_ID, taskId=REVIEW_TASK_ID)
    )
    assert done.status_code == 201


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"projectId": SAMPLE_PROJECT_ID, "taskId": BUILD_TASK_ID}, (400, "Task doesn't belong to Project", 501)),
        ({"projectId": SAMPLE_PROJECT_ID, "taskId": WEBSITE_DESIGN_TASK_ID}, (400, "Task doesn't belong to Project", 501)),
        ({"taskId": DESIGN_TASK_ID}, (400, "Task doesn't belong to Project", 501)),
        ({"tagIds": [FOREIGN_TAG_ID]}, (400, "Tag doesn't belong to Workspace", 501)),
    ],
)  # fmt: skip
def test_an_entry_refuses_a_task_or_tag_from_elsewhere(
    api: httpx.Client, sandbox: Sandbox, fields: dict[str, object], expected: tuple[int, str, int]
) -> None:
    assert error(api.post(f"{WS}/time-entries", json=entry(**fields))) == expected
    assert len(sandbox.time_entries(DEMO_WORKSPACE_ID)) == 1  # the seeded one only


def test_second_workspace_has_no_tasks_of_the_first(api: httpx.Client) -> None:
    other = f"/workspaces/{SECOND_WORKSPACE_ID}/projects/{SAMPLE_PROJECT_ID}/tasks"
    assert error(api.get(other)) == (400, "Project doesn't belong to Workspace", 501)
