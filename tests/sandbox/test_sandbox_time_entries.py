"""Reading back and changing time entries in the sandbox, as Clockify does (docs/clockify-api.md §12,
§13, §25): every list filter, the wall-clock reading of start/end, hydration, PUT, DELETE."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from clockify_actions.sandbox import (
    ARCHIVED_TAG_ID,
    BUILD_TASK_ID,
    CLIENT_PROJECT_ID,
    DEMO_API_KEY,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    DESIGN_TASK_ID,
    FOREIGN_TAG_ID,
    MEETING_TAG_ID,
    OTHER_USER_ID,
    SAMPLE_PROJECT_ID,
    SAMPLE_TIME_ENTRY_ID,
    URGENT_TAG_ID,
    Sandbox,
)

WS = f"/workspaces/{DEMO_WORKSPACE_ID}"
MINE = f"{WS}/user/{DEMO_USER_ID}/time-entries"


@pytest.fixture
def raw(sandbox: Sandbox) -> Iterator[httpx.Client]:
    """The demo user over a real socket, without the spec check: hydrated answers carry
    keys the official spec does not declare."""
    server = sandbox.serve()
    with httpx.Client(base_url=server.base_url, headers={"X-Api-Key": DEMO_API_KEY}) as client:
        yield client


def add(api: httpx.Client, start: str, end: str | None = None, **fields: Any) -> str:
    body = {"start": start, **({"end": end} if end else {}), **fields}
    response = api.post(f"{WS}/time-entries", json=body)
    assert response.status_code == 201, response.text
    entry_id: str = response.json()["id"]
    return entry_id


def listed(api: httpx.Client, **query: Any) -> list[str]:
    response = api.get(MINE, params=query)
    assert response.status_code == 200, response.text
    return [entry["description"] for entry in response.json()]


def error(response: httpx.Response) -> tuple[int, str, int]:
    return response.status_code, response.json()["message"], response.json()["code"]


@pytest.mark.parametrize(
    ("zone", "inside", "outside"),
    [
        # docs/clockify-api.md §12.3's probe: a Belgrade (UTC+2 in August) account, one UTC day asked.
        ("Europe/Belgrade", "2026-08-07T22:15:00Z", "2026-08-08T22:30:00Z"),
        ("Europe/Berlin", "2026-08-07T22:00:00Z", "2026-08-08T22:00:00Z"),
        ("America/Los_Angeles", "2026-08-08T07:00:00Z", "2026-08-09T07:00:00Z"),
    ],
)
def test_start_and_end_are_read_as_wall_clock_time_in_the_users_zone(
    api: httpx.Client, sandbox: Sandbox, zone: str, inside: str, outside: str
) -> None:
    sandbox.set_time_zone(DEMO_USER_ID, zone)
    add(api, inside, description="inside")
    add(api, outside, description="outside")
    for start, end in [
        ("2026-08-08T00:00:00Z", "2026-08-09T00:00:00Z"),
        ("2026-08-08T02:00:00+02:00", "2026-08-09T02:00:00+02:00"),  # the same instants
    ]:
        assert listed(api, start=start, end=end) == ["inside"]


def test_a_utc_account_sees_the_utc_window(api: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.set_time_zone(DEMO_USER_ID, "UTC")
    add(api, "2026-08-07T23:59:59Z", description="before")
    add(api, "2026-08-08T00:00:00Z", description="first")
    add(api, "2026-08-08T23:59:59Z", description="last")
    assert listed(api, start="2026-08-08T00:00:00Z", end="2026-08-09T00:00:00Z") == [
        "last",
        "first",
    ]


def test_a_start_without_a_zone_is_refused(api: httpx.Client) -> None:
    response = api.get(MINE, params={"start": "2026-08-08T00:00:00"})
    assert response.status_code == 400


def test_newest_first_and_paged(api: httpx.Client) -> None:
    for day in ("03", "01", "02"):
        add(api, f"2026-03-{day}T09:00:00Z", f"2026-03-{day}T10:00:00Z", description=day)
    first = api.get(MINE, params={"page-size": 2})
    assert [e["description"] for e in first.json()] == ["03", "02"]
    assert first.headers["Last-Page"] == "false"
    second = api.get(MINE, params={"page-size": 2, "page": 2})
    assert [e["description"] for e in second.json()] == ["01", "Seeded entry"]
    assert second.headers["Last-Page"] == "true"


def test_project_task_and_tag_filters(api: httpx.Client) -> None:
    add(api, "2026-03-01T09:00:00Z", description="design", projectId=SAMPLE_PROJECT_ID,
        taskId=DESIGN_TASK_ID, tagIds=[MEETING_TAG_ID])  # fmt: skip
    add(api, "2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z", description="build",
        projectId=CLIENT_PROJECT_ID, taskId=BUILD_TASK_ID, tagIds=[URGENT_TAG_ID])  # fmt: skip
    add(api, "2026-03-03T09:00:00Z", "2026-03-03T10:00:00Z", description="bare")
    assert listed(api, project=CLIENT_PROJECT_ID) == ["build"]
    assert listed(api, task=DESIGN_TASK_ID) == ["design"]
    assert listed(api, tags=URGENT_TAG_ID) == ["build"]
    # Several tags: any of them (live any-vs-all unknown), repeated or comma-joined.
    both = f"{MEETING_TAG_ID},{URGENT_TAG_ID}"
    assert listed(api, tags=both) == ["build", "design"]
    assert api.get(MINE, params=[("tags", MEETING_TAG_ID), ("tags", URGENT_TAG_ID)]).json()
    assert listed(api, **{"task-required": "true"}) == ["build", "design"]
    assert listed(api, **{"project-required": "1"}) == ["build", "design", "Seeded entry"]


def test_description_contains_ignoring_case(api: httpx.Client) -> None:
    add(api, "2026-03-01T09:00:00Z", "2026-03-01T10:00:00Z", description="Daily Standup")
    add(api, "2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z", description="Planning")
    assert listed(api, description="standup") == ["Daily Standup"]
    assert listed(api, description="") == ["Planning", "Daily Standup", "Seeded entry"]


def test_in_progress_true_and_false(api: httpx.Client) -> None:
    add(api, "2026-03-01T09:00:00Z", "2026-03-01T10:00:00Z", description="done")
    add(api, "2026-03-02T09:00:00Z", description="running")
    assert listed(api, **{"in-progress": "true"}) == ["running"]
    assert listed(api, **{"in-progress": "false"}) == ["done", "Seeded entry"]


def test_entry_without_tags_has_tag_ids_null(api: httpx.Client) -> None:
    (entry,) = [e for e in api.get(MINE).json() if e["id"] == SAMPLE_TIME_ENTRY_ID]
    assert entry["tagIds"] is None
    assert api.get(f"{WS}/time-entries/{SAMPLE_TIME_ENTRY_ID}").json()["tagIds"] is None


def test_hydrated_list_and_single_entry(raw: httpx.Client) -> None:
    add(raw, "2026-03-01T09:00:00Z", "2026-03-01T10:00:00Z", projectId=SAMPLE_PROJECT_ID,
        taskId=DESIGN_TASK_ID, tagIds=[MEETING_TAG_ID])  # fmt: skip
    entry = raw.get(MINE, params={"hydrated": "true"}).json()[0]
    # §12.5: the objects are added, every *Id kept, the *Id fields at the end.
    assert list(entry)[-5:] == ["taskId", "tagIds", "projectId", "kioskId", "isLocked"]
    assert (entry["project"]["name"], entry["project"]["duration"]) == ("Sample Project", "PT0S")
    assert (entry["task"]["name"], len(entry["task"])) == ("Design", 13)
    assert entry["tags"] == [
        {
            "name": "Meeting",
            "workspaceId": DEMO_WORKSPACE_ID,
            "archived": False,
            "id": MEETING_TAG_ID,
        }
    ]
    assert entry["user"]["id"] == DEMO_USER_ID and entry["kiosk"] is None
    single = raw.get(f"{WS}/time-entries/{entry['id']}", params={"hydrated": "1"}).json()
    assert single["user"] is None, "the single GET sends user null (§13.1)"
    assert single["task"] == entry["task"]
    seeded = raw.get(MINE, params={"hydrated": "true"}).json()[1]
    assert (seeded["task"], seeded["tags"]) == (None, [])


@pytest.mark.parametrize(
    ("name", "value", "java_type", "cause"),
    [
        ("in-progress", "maybe", "java.lang.Boolean", "Invalid boolean value [maybe]"),
        ("hydrated", "yes please", "java.lang.Boolean", "Invalid boolean value [yes please]"),
        ("page-size", "abc", "int", 'For input string: "abc"'),
        ("page", "1.5", "int", 'For input string: "1.5"'),
    ],
)
def test_unconvertible_query_parameters_are_code_3000(
    api: httpx.Client, name: str, value: str, java_type: str, cause: str
) -> None:
    message = (
        f"Method parameter '{name}': Failed to convert value of type 'java.lang.String' to"
        f" required type '{java_type}'; {cause}"
    )
    assert error(api.get(MINE, params={name: value})) == (400, message, 3000)


def test_in_progress_route_pages_by_ten_up_to_a_thousand(api: httpx.Client) -> None:
    add(api, "2026-03-02T09:00:00Z", description="running")
    assert [e["description"] for e in api.get(f"{WS}/time-entries/status/in-progress").json()] == [
        "running"
    ]
    too_big = api.get(f"{WS}/time-entries/status/in-progress", params={"page-size": 1001})
    assert error(too_big) == (400, "Page size cannot be larger than 1,000.", 501)
    bad = api.get(f"{WS}/time-entries/status/in-progress", params={"page-size": "abc"})
    assert error(bad)[2] == 3000


def test_a_task_of_another_project_and_unknown_tags_are_refused(
    api: httpx.Client, sandbox: Sandbox
) -> None:
    before = len(sandbox.time_entries(DEMO_WORKSPACE_ID))
    start = "2026-03-01T09:00:00Z"
    wrong_task = api.post(
        f"{WS}/time-entries",
        json={"start": start, "projectId": SAMPLE_PROJECT_ID, "taskId": BUILD_TASK_ID},
    )
    assert error(wrong_task) == (400, "Task doesn't belong to Project", 501)
    no_project = api.post(f"{WS}/time-entries", json={"start": start, "taskId": DESIGN_TASK_ID})
    assert error(no_project) == (400, "Task doesn't belong to Project", 501)
    for tag in (FOREIGN_TAG_ID, "NOT-AN-ID"):
        refused = api.post(f"{WS}/time-entries", json={"start": start, "tagIds": [tag]})
        assert error(refused) == (400, "Tag doesn't belong to Workspace", 501)
    assert len(sandbox.time_entries(DEMO_WORKSPACE_ID)) == before
    # An archived tag is accepted (§16.2).
    add(api, start, tagIds=[ARCHIVED_TAG_ID])


def test_put_replaces_the_whole_entry(api: httpx.Client, sandbox: Sandbox) -> None:
    entry_id = add(api, "2026-03-01T09:00:00Z", "2026-03-01T11:00:00Z", description="Old",
                   projectId=SAMPLE_PROJECT_ID, taskId=DESIGN_TASK_ID,
                   tagIds=[MEETING_TAG_ID], billable=True)  # fmt: skip
    response = api.put(f"{WS}/time-entries/{entry_id}", json={"start": "2026-03-01T09:00:00Z"})
    assert response.status_code == 200
    entry = response.json()
    assert "hourlyRate" not in entry, "PUT answers TimeEntryDtoImplV1, without rates"
    # Everything the body left out is cleared, and without an end the entry runs (§13.2).
    assert (entry["description"], entry["projectId"], entry["taskId"]) == ("", None, None)
    assert (entry["tagIds"], entry["billable"]) == (None, False)
    assert entry["timeInterval"] == {"start": "2026-03-01T09:00:00Z", "end": None, "duration": None}
    stored = api.get(f"{WS}/time-entries/{entry_id}").json()
    assert stored["timeInterval"]["end"] is None and stored["description"] == ""
    assert [e["id"] for e in api.get(MINE, params={"in-progress": "true"}).json()] == [entry_id]
    # The sample project's tracked time loses the two hours again (1h30 seeded).
    (sample,) = [p for p in sandbox.projects(DEMO_WORKSPACE_ID) if p["id"] == SAMPLE_PROJECT_ID]
    assert sample["duration"] == "PT1H30M"


def test_put_validates_like_post(api: httpx.Client) -> None:
    path = f"{WS}/time-entries/{SAMPLE_TIME_ENTRY_ID}"
    assert api.put(path, json={"description": "no start"}).status_code == 400
    backwards = {"start": "2026-03-01T10:00:00Z", "end": "2026-03-01T09:00:00Z"}
    assert error(api.put(path, json=backwards)) == (
        400,
        "Start datetime 2026-03-01T10:00:00Z is greater than end datetime 2026-03-01T09:00:00Z.",
        501,
    )
    wrong_task = {"start": "2026-03-01T09:00:00Z", "projectId": SAMPLE_PROJECT_ID,
                  "taskId": BUILD_TASK_ID}  # fmt: skip
    assert error(api.put(path, json=wrong_task))[1] == "Task doesn't belong to Project"
    unknown_tag = {"start": "2026-03-01T09:00:00Z", "tagIds": [FOREIGN_TAG_ID]}
    assert error(api.put(path, json=unknown_tag))[1] == "Tag doesn't belong to Workspace"
    # Nothing of the refused bodies was kept.
    assert api.get(path).json()["timeInterval"]["end"] == "2024-01-15T10:30:00Z"


def test_delete_is_204_then_the_entry_does_not_belong(api: httpx.Client) -> None:
    path = f"{WS}/time-entries/{SAMPLE_TIME_ENTRY_ID}"
    deleted = api.delete(path)
    assert (deleted.status_code, deleted.content) == (204, b"")
    gone = (400, "Time entry doesn't belong to Workspace", 501)
    assert error(api.get(path)) == gone
    assert error(api.delete(path)) == gone
    assert error(api.put(path, json={"start": "2026-03-01T09:00:00Z"})) == gone


@pytest.mark.parametrize("entry", ["64b7c0de5eed000000000eff", "ZZ-CANARY-SECRET-abc123"])
def test_unknown_or_malformed_entry_ids_do_not_belong(api: httpx.Client, entry: str) -> None:
    expected = (400, "Time entry doesn't belong to Workspace", 501)
    assert error(api.get(f"{WS}/time-entries/{entry}")) == expected


def test_routes_clockify_lacks_keep_their_404_and_405(api: httpx.Client) -> None:
    posted = api.post(f"{WS}/time-entries/status/in-progress", json={})
    assert error(posted) == (405, "Request method 'POST' is not supported", 3000)
    assert posted.headers["Allow"] == "GET"
    listed_all = api.delete(f"{WS}/time-entries")
    assert error(listed_all) == (405, "Request method 'DELETE' is not supported", 3000)
    stop = api.get(f"{MINE}/stop")
    assert error(stop) == (404, f"No static resource v1{MINE}/stop.", 3000)


def test_another_users_list_needs_membership(api: httpx.Client) -> None:
    response = api.get(f"{WS}/user/{OTHER_USER_ID}/time-entries")
    assert error(response) == (400, "User doesn't belong to Workspace", 501)


def test_the_cli_sets_a_users_time_zone(sandbox: Sandbox) -> None:
    def configure(*args: str) -> tuple[int, dict[str, Any]]:
        result = subprocess.run(
            [sys.executable, "-m", "clockify_actions", "sandbox", "configure",
             "--db", str(sandbox.db_path), *args],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        return result.returncode, json.loads(result.stdout)

    code, _ = configure("--time-zone", "America/Los_Angeles")
    assert code == 0
    user = sandbox.transport()
    with httpx.Client(transport=user, headers={"X-Api-Key": DEMO_API_KEY}) as client:
        me = client.get("https://api.clockify.me/api/v1/user").json()
    assert me["settings"]["timeZone"] == "America/Los_Angeles"
    code, document = configure("--time-zone", "Mars/Olympus")
    assert code == 2 and "unknown time zone" in document["error"]


def test_hydrating_an_entry_whose_tag_is_gone_leaves_the_tag_out(
    raw: httpx.Client, sandbox: Sandbox
) -> None:
    entry_id = add(raw, "2026-03-01T09:00:00Z", tagIds=[MEETING_TAG_ID, URGENT_TAG_ID])
    with sqlite3.connect(sandbox.db_path) as db:
        db.execute("DELETE FROM tags WHERE id = ?", (MEETING_TAG_ID,))
    response = raw.get(f"{WS}/time-entries/{entry_id}", params={"hydrated": "true"})
    assert response.status_code == 200
    assert [tag["id"] for tag in response.json()["tags"]] == [URGENT_TAG_ID]
