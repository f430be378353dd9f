"""The polling triggers against the sandbox, over several polls with its clock moving:
each delivers every new item exactly as its stated guarantee says, and nothing twice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from clockify_actions.runtime import Pack, load_pack
from clockify_actions.sandbox import (
    DEMO_API_KEY,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    SAMPLE_PROJECT_ID,
    Sandbox,
)

START = datetime(2026, 1, 28, 9, 0, tzinfo=UTC)
WORKSPACE = f"/workspaces/{DEMO_WORKSPACE_ID}"


class World:
    """The sandbox, a Clockify app that changes it (any client but the pack), and the
    pack's triggers polling it, each with the state its last poll returned."""

    def __init__(self, sandbox: Sandbox, pack: Pack) -> None:
        self.sandbox = sandbox
        self.pack = pack
        self.app = httpx.Client(
            transport=sandbox.transport(),
            base_url="https://api.clockify.me/api/v1",
            headers={"X-Api-Key": DEMO_API_KEY},
        )
        self.states: dict[str, Any] = {}
        self.delivered: dict[str, list[str]] = {name: [] for name in pack.triggers}

    def at(self, minutes: float) -> None:
        self.sandbox.set_time(START + timedelta(minutes=minutes))

    def poll(self, name: str, state: Any = None, **params: Any) -> list[dict[str, Any]]:
        """One poll from the trigger's last state (or `state`); the new state is kept."""
        result = self.pack.poll(
            name,
            {"workspace_id": DEMO_WORKSPACE_ID, **params},
            self.states.get(name) if state is None else state,
            api_key=DEMO_API_KEY,
            base_url="http://sandbox.localhost/api/v1",
            transport=self.sandbox.transport(),
            clock=self.sandbox.now,
        )
        assert result["status"] == "success", result
        self.states[name] = result["state"]
        self.delivered[name] += [event["event_id"] for event in result["events"]]
        events: list[dict[str, Any]] = result["events"]
        return events

    def poll_all(self) -> dict[str, list[str]]:
        return {name: [e["id"] for e in self.poll(name)] for name in self.pack.triggers}

    def entry(self, start: str, end: str | None = None, description: str = "") -> str:
        body = {"start": start, "description": description, "projectId": SAMPLE_PROJECT_ID}
        if end is not None:
            body["end"] = end
        answer = self.app.post(f"{WORKSPACE}/time-entries", json=body)
        assert answer.status_code == 201, answer.text
        entry_id: str = answer.json()["id"]
        return entry_id

    def stop_timer(self, end: str) -> None:
        answer = self.app.patch(f"{WORKSPACE}/user/{DEMO_USER_ID}/time-entries", json={"end": end})
        assert answer.status_code == 200, answer.text

    def create(self, what: str, name: str) -> str:
        answer = self.app.post(f"{WORKSPACE}/{what}", json={"name": name})
        assert answer.status_code == 201, answer.text
        created: str = answer.json()["id"]
        return created


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as sandbox:
        sandbox.set_time(START)
        yield World(sandbox, load_pack())


def test_each_trigger_delivers_every_new_item_once_over_several_polls(world: World) -> None:
    # A timer already running an hour before the triggers start, stopped later.
    world.at(-60)
    early_timer = world.entry("2026-01-28T08:00:00Z", description="Started before watching")
    world.at(0)
    first = world.poll_all()
    assert first == {name: [] for name in world.pack.triggers}, "a first poll only sets the cursor"

    world.at(5)
    in_order = world.entry("2026-01-28T09:00:00Z", "2026-01-28T09:04:00Z", "In order")
    late = world.entry("2026-01-20T10:00:00Z", "2026-01-20T12:00:00Z", "Logged late for last week")
    project = world.create("projects", "Triggers Project")
    client = world.create("clients", "Triggers Client")
    tag = world.create("tags", "Triggers Tag")
    task = world.create(f"projects/{project}/tasks", "Triggers Task")
    world.at(6)
    # Starting a new timer stops the one already running (docs/clockify-api.md §10.3).
    timer = world.entry("2026-01-28T09:06:00Z", description="Support call")
    world.at(8)
    second = world.poll_all()
    # The late entry is there although it starts a week before the last poll.
    assert second["new_time_entry"] == [in_order, late, early_timer]
    assert second["timer_started"] == [timer]
    assert second["timer_stopped"] == [early_timer]
    assert second["new_project"] == [project]
    assert second["new_client"] == [client]
    assert second["new_tag"] == [tag]
    assert second["new_task"] == [task]
    # The running timer that the new one stopped was edited; nothing was deleted.
    assert second["time_entry_updated"] == [early_timer]
    assert second["time_entry_deleted"] == []

    # Edits and deletions are not new entries; a short-lived entry is missed as stated.
    world.at(12)
    edited = world.app.put(
        f"{WORKSPACE}/time-entries/{in_order}",
        json={
            "start": "2026-01-28T08:50:00Z",
            "end": "2026-01-28T09:04:00Z",
            "description": "Edited",
        },
    )
    assert edited.status_code == 200, edited.text
    assert world.app.delete(f"{WORKSPACE}/time-entries/{late}").status_code == 204
    gone = world.entry("2026-01-28T09:10:00Z", "2026-01-28T09:11:00Z", "Deleted before a poll")
    assert world.app.delete(f"{WORKSPACE}/time-entries/{gone}").status_code == 204
    world.at(14)
    world.stop_timer("2026-01-28T09:14:00Z")
    world.at(15)
    third = world.poll_all()
    # The edit and the stop are updates; the entry made and deleted between two polls is
    # missed, as time_entry_deleted's guarantee says.
    assert third["time_entry_updated"] == [in_order, timer]
    assert third["time_entry_deleted"] == [late]
    assert third["new_time_entry"] == [timer], "the stopped timer, not the edit"
    assert third["timer_stopped"] == [timer]
    assert third["timer_started"] == third["new_project"] == third["new_client"] == []
    assert third["new_tag"] == third["new_task"] == []

    # Later polls, inside and past the overlap, deliver nothing again.
    for minutes in (16, 30, 90):
        world.at(minutes)
        assert world.poll_all() == {name: [] for name in world.pack.triggers}
    for name, ids in world.delivered.items():
        assert len(ids) == len(set(ids)), f"{name} delivered an event twice: {ids}"


def test_an_entry_made_inside_the_overlap_is_delivered_once(world: World) -> None:
    world.poll("new_time_entry")
    world.at(1)
    entry = world.entry("2026-01-28T08:00:00Z", "2026-01-28T08:30:00Z")
    world.at(2)
    assert [e["id"] for e in world.poll("new_time_entry")] == [entry]
    # The next windows start 10 minutes back, so they see the entry again: it is not
    # delivered again.
    for minutes in (3, 9, 12):
        world.at(minutes)
        assert world.poll("new_time_entry") == []


def test_polling_again_with_an_older_state_delivers_the_same_events_again(world: World) -> None:
    world.poll("new_project")
    kept = world.states["new_project"]
    world.at(5)
    world.create("projects", "Redelivered")
    world.at(6)
    once = world.poll("new_project")
    # A runner that crashed before saving the new state polls with the old one.
    again = world.poll("new_project", state=kept)
    assert once == again and len(once) == 1
    assert once[0]["event_id"] == f"NEW_PROJECT:{once[0]['id']}"


def test_since_backfills_on_the_first_poll_only(world: World) -> None:
    world.at(5)
    entry = world.entry("2026-01-27T10:00:00Z", "2026-01-27T11:00:00Z", "Yesterday's work")
    world.at(10)
    events = world.poll("new_time_entry", since="2026-01-28T09:00:00Z")
    assert [e["id"] for e in events] == [entry]
    assert events[0] == {
        "event_id": f"NEW_TIME_ENTRY:{entry}",
        "id": entry,
        "description": "Yesterday's work",
        "start": "2026-01-27T10:00:00Z",
        "end": "2026-01-27T11:00:00Z",
        "duration": "PT1H",
        "running": False,
        "project_id": SAMPLE_PROJECT_ID,
        "task_id": None,
        "tag_ids": [],
        "workspace_id": DEMO_WORKSPACE_ID,
        "user_id": DEMO_USER_ID,
        "billable": False,
    }
    world.at(11)
    assert world.poll("new_time_entry", since="2026-01-28T09:00:00Z") == []


def test_a_timer_deleted_while_it_ran_never_stopped(world: World) -> None:
    world.poll("timer_stopped")
    world.poll("new_time_entry")
    world.at(1)
    timer = world.entry("2026-01-28T09:01:00Z")
    world.at(2)
    assert world.poll("timer_stopped") == []
    assert world.poll("new_time_entry") == []  # still running
    world.at(3)
    assert world.app.delete(f"{WORKSPACE}/time-entries/{timer}").status_code == 204
    world.at(4)
    assert world.poll("timer_stopped") == []
    assert world.poll("new_time_entry") == []
    assert world.states["timer_stopped"] == {
        "trigger": "timer_stopped",
        "workspace_id": DEMO_WORKSPACE_ID,
        "running": {},
    }


def test_a_state_the_trigger_did_not_write_is_refused_before_any_request(world: World) -> None:
    before = len(world.sandbox.request_log())
    result = world.pack.poll(
        "new_client",
        {"workspace_id": DEMO_WORKSPACE_ID},
        {"trigger": "timer_started", "workspace_id": DEMO_WORKSPACE_ID, "running": {}},
        api_key=DEMO_API_KEY,
        base_url="http://sandbox.localhost/api/v1",
        transport=world.sandbox.transport(),
    )
    assert result["status"] == "error"
    assert result["error"]["type"] == "validation_error"
    assert "not one it returned" in result["error"]["message"]
    assert len(world.sandbox.request_log()) == before


def test_invalid_parameters_are_refused(world: World) -> None:
    result = world.pack.poll("new_time_entry", {"workspace_id": "nope", "since": "yesterday"})
    assert result["status"] == "error"
    assert {d["path"] for d in result["error"]["details"]} == {"/workspace_id", "/since"}


def test_an_event_that_breaks_its_schema_is_never_returned(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    trigger = world.pack.triggers["new_tag"]
    broken = {"events": [{"event_id": "NEW_TAG:1", "id": "1"}], "state": {"cursor": "x"}}
    monkeypatch.setitem(trigger.__dict__, "handler", lambda params, state, client: broken)
    result = world.pack.poll(
        "new_tag",
        {"workspace_id": DEMO_WORKSPACE_ID},
        api_key=DEMO_API_KEY,
        base_url="http://sandbox.localhost/api/v1",
        transport=world.sandbox.transport(),
    )
    assert result["status"] == "error" and result["error"]["type"] == "contract_error"
    paths = {d["path"] for d in result["error"]["details"]}
    assert {"/events/0/name", "/state/cursor", "/state/seen"} <= paths
    assert "events" not in result and "state" not in result


def _entities(items: list[dict[str, Any]], seen: list[httpx.Request]) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=items)

    return httpx.MockTransport(answer)


# Tasks and tags as /entities/created returns them: the entity, documentCode and
# auditMetadata (docs/clockify-api.md §23.2; the task and tag keys of §17.1 and §16.1).
TASK = {
    "assigneeId": None,
    "assigneeIds": [],
    "billable": True,
    "budgetEstimate": 0,
    "costRate": None,
    "duration": "PT0S",
    "estimate": "PT0S",
    "hourlyRate": None,
    "id": "6979f3385a4db0c10c000005",
    "name": "Wireframes",
    "projectId": SAMPLE_PROJECT_ID,
    "status": "ACTIVE",
    "userGroupIds": [],
    "documentCode": "TASKS",
    "auditMetadata": {"createdAt": "2026-01-28T09:03:12.512Z", "updatedAt": None},
}
TAG = {
    "archived": False,
    "id": "6979f3385a4db0c10c000006",
    "name": "urgent",
    "workspaceId": DEMO_WORKSPACE_ID,
    "documentCode": "TAGS",
    "auditMetadata": {"createdAt": "2026-01-28T09:03:12.512Z", "updatedAt": None},
}


@pytest.mark.parametrize(
    ("name", "item", "kind", "event"),
    [
        (
            "new_task",
            TASK,
            "TASKS",
            {
                "name": "Wireframes",
                "project_id": SAMPLE_PROJECT_ID,
                "status": "ACTIVE",
                "billable": True,
            },
        ),
        (
            "new_tag",
            TAG,
            "TAGS",
            {"name": "urgent", "workspace_id": DEMO_WORKSPACE_ID, "archived": False},
        ),
    ],
)
def test_new_tasks_and_tags_come_from_clockify_change_tracking(
    pack: Pack, name: str, item: dict[str, Any], kind: str, event: dict[str, Any]
) -> None:
    requests: list[httpx.Request] = []
    state = {
        "trigger": name,
        "workspace_id": DEMO_WORKSPACE_ID,
        "cursor": "2026-01-28T09:00:00Z",
        "seen": {},
    }
    result = pack.poll(
        name,
        {"workspace_id": DEMO_WORKSPACE_ID},
        state,
        api_key="k" * 48,
        transport=_entities([item], requests),
        clock=lambda: START + timedelta(minutes=5),
    )
    assert result["status"] == "success", result
    assert result["events"] == [
        {"event_id": f"NEW_{kind[:-1]}:{item['id']}", "id": item["id"], **event}
    ]
    (request,) = requests
    assert request.url.path == f"/api/v1/workspaces/{DEMO_WORKSPACE_ID}/entities/created"
    assert dict(request.url.params) == {
        "type": kind,
        "start": "2026-01-28T08:50:00Z",
        "end": "2026-01-28T10:05:00Z",
        "page": "0",
        "limit": "1000",
    }
    again = pack.poll(
        name,
        {"workspace_id": DEMO_WORKSPACE_ID},
        result["state"],
        api_key="k" * 48,
        transport=_entities([item], []),
        clock=lambda: START + timedelta(minutes=6),
    )
    assert again["events"] == [], "an item the overlap returns again is not delivered again"


def test_triggers_are_not_mcp_tools(pack: Pack) -> None:
    from clockify_actions.adapters.mcp import served_actions

    served = served_actions(pack, toolsets_chosen=["all"])
    assert not set(served) & set(pack.triggers)
    assert set(served) == set(pack.actions)


def test_a_trigger_whose_event_has_no_event_id_is_refused_at_load(pack_copy: Path) -> None:
    from clockify_actions.runtime import PackError, read_pack

    manifest = pack_copy / "triggers" / "new_tag" / "trigger.yaml"
    text = manifest.read_text(encoding="utf-8")
    shared = '  $ref: "urn:clockify-actions:common#/$defs/NamedEvent"\n'
    assert shared in text
    inline = (
        "  type: object\n  additionalProperties: false\n  properties:\n"
        "    id: {type: string, description: The tag's id.}\n"
    )
    manifest.write_text(text.replace(shared, inline), encoding="utf-8")
    with pytest.raises(PackError, match=r"trigger\.yaml does not match its meta-schema"):
        read_pack(pack_copy)
