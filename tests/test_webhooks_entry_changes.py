"""Deliveries of time-entry edits and deletions verify into the events of the triggers
that poll for them (time_entry_updated, time_entry_deleted): Clockify's captured
TIME_ENTRY_DELETED body (docs/clockify-api.md §22.4), and the sandbox's deliveries next to
the polls of the same changes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from clockify_actions.adapters.webhooks import verify
from clockify_actions.runtime import Pack
from clockify_actions.sandbox import DEMO_WORKSPACE_ID, SAMPLE_TIME_ENTRY_ID, Sandbox
from test_webhooks import START, _poll, _register, _run, receiver

# The live TIME_ENTRY_DELETED delivery of docs/clockify-api.md §22.4 ([RT], 2026-08-07; ids
# replaced by its recorder, custom-field list trimmed to two), as captured.
CAPTURED_DELETION = {
    "id": "ID_001",
    "description": "DSWH1_rich™ entry with &lt;b&gt;bold&lt;/b&gt; & emoji \U0001f680\nline two \u0414\u0421\u0412\u04251_\u0440\u0438\u0447",
    "userId": "UID1",
    "billable": True,
    "projectId": "PROJ_A",
    "timeInterval": {
        "start": "2026-08-07T22:40:00Z",
        "end": "2026-08-07T23:40:00Z",
        "duration": "PT1H",
        "timeZone": "Europe/Belgrade",
        "offsetStart": 7200,
        "offsetEnd": 7200,
        "zonedStart": "2026-08-08T00:40:00",
        "zonedEnd": "2026-08-08T01:40:00",
    },
    "workspaceId": "WSID",
    "isLocked": False,
    "hourlyRate": None,
    "costRate": None,
    "customFieldValues": [
        {"customFieldId": "ID_002", "timeEntryId": "ID_001", "value": "tqewq", "name": "test123"},
        {
            "customFieldId": "ID_003",
            "timeEntryId": "ID_001",
            "value": None,
            "name": "MCP-TEST-FIELD",
        },
    ],
    "type": "REGULAR",
    "kioskId": None,
    "approvalStatus": None,
    "detailedApprovalStatus": None,
    "projectCurrency": None,
    "currentlyRunning": False,
    "project": {
        "name": "DSWH1_richproj",
        "hourlyRate": {"amount": 12300},
        "costRate": {"amount": 4500},
        "clientId": "CLIENT_A",
        "workspaceId": "WSID",
        "billable": True,
        "memberships": [{"userId": "UID1", "hourlyRate": None, "costRate": None}],
        "estimate": {"estimate": "PT0S", "type": "AUTO"},
        "color": "#8D6E63",
        "archived": False,
        "clientName": "DSWH1_richclient",
        "duration": "PT0S",
        "note": "",
        "activeEstimate": "NONE",
        "timeEstimate": {
            "includeNonBillable": True,
            "estimate": 0,
            "type": "AUTO",
            "resetOption": None,
        },
        "budgetEstimate": None,
        "estimateReset": None,
        "sourceType": None,
        "auditMetadata": {"updatedAt": 1786141866000},
        "accessOnPaidPlan": None,
        "id": "PROJ_A",
        "public": False,
        "template": False,
    },
    "task": {
        "name": "DSWH1_richtask",
        "projectId": "PROJ_A",
        "assigneeId": "",
        "assigneeIds": [],
        "userGroupIds": [],
        "estimate": "PT0S",
        "status": "ACTIVE",
        "workspaceId": "WSID",
        "budgetEstimate": 0,
        "billable": False,
        "hourlyRate": None,
        "costRate": None,
        "sourceType": "PRODUCTION",
        "id": "TASK_A",
        "duration": "PT0S",
    },
    "user": {
        "id": "UID1",
        "name": "Firstname Lastname",
        "status": "ACTIVE",
        "hourlyRate": {"amount": 99900},
        "costRate": {"amount": 777700},
    },
    "tags": [
        {"name": "DSWH1_tagA", "workspaceId": "WSID", "archived": False, "id": "TAG_A"},
        {"name": "DSWH1_tagB", "workspaceId": "WSID", "archived": False, "id": "TAG_B"},
    ],
}


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as opened:
        opened.set_time(START)
        yield opened


def test_the_captured_deletion_makes_a_time_entry_deleted_event(pack: Pack) -> None:
    headers = {"Clockify-Signature": "s" * 32, "Clockify-Webhook-Event-Type": "TIME_ENTRY_DELETED"}
    body = json.dumps(CAPTURED_DELETION).encode()
    verified = verify(headers, body, "s" * 32)
    assert (verified["trigger"], verified["webhook_event"]) == (
        "time_entry_deleted",
        "TIME_ENTRY_DELETED",
    )
    (event,) = verified["events"]
    assert not pack.triggers["time_entry_deleted"].event_errors(event)
    # No taskId or tagIds in this body: the embedded task and tags say them.
    assert event == {
        "event_id": "TIME_ENTRY_DELETED:ID_001",
        "id": "ID_001",
        "workspace_id": "WSID",
        "deleted_at": None,
        "description": CAPTURED_DELETION["description"],
        "start": "2026-08-07T22:40:00Z",
        "end": "2026-08-07T23:40:00Z",
        "duration": "PT1H",
        "running": False,
        "project_id": "PROJ_A",
        "task_id": "TASK_A",
        "tag_ids": ["TAG_A", "TAG_B"],
        "user_id": "UID1",
        "billable": True,
    }


def test_an_entry_deleted_while_running_is_said_so() -> None:
    running = {
        **CAPTURED_DELETION,
        "currentlyRunning": True,
        "timeInterval": {**CAPTURED_DELETION["timeInterval"], "end": None, "duration": None},
    }
    headers = {"Clockify-Signature": "s" * 32, "Clockify-Webhook-Event-Type": "TIME_ENTRY_DELETED"}
    (event,) = verify(headers, json.dumps(running).encode(), "s" * 32)["events"]
    assert (event["running"], event["end"], event["duration"]) == (True, None, None)


def test_an_edit_delivered_is_the_edit_polled(pack: Pack, sandbox: Sandbox) -> None:
    with receiver() as (url, received):
        token = _register(pack, sandbox, url, "TIME_ENTRY_UPDATED")
        state = _poll(pack, sandbox, "time_entry_updated", None)["state"]
        sandbox.set_time(START.replace(minute=5))
        _run(
            pack,
            sandbox,
            "update_time_entry",
            {
                "workspace_id": DEMO_WORKSPACE_ID,
                "time_entry_id": SAMPLE_TIME_ENTRY_ID,
                "description": "Reviewed",
            },
        )
        assert received.arrived.wait(10), "no delivery arrived"
        sandbox.wait_for_deliveries(10)
    (headers, body) = received.requests[0]
    delivered = verify(headers, body, token)
    polled = _poll(pack, sandbox, "time_entry_updated", state)["events"]
    assert delivered == {
        "trigger": "time_entry_updated",
        "webhook_event": "TIME_ENTRY_UPDATED",
        "events": polled,
    }
    assert polled[0]["description"] == "Reviewed"


def test_a_deletion_delivered_and_polled_share_its_event_id(pack: Pack, sandbox: Sandbox) -> None:
    with receiver() as (url, received):
        token = _register(pack, sandbox, url, "TIME_ENTRY_DELETED")
        state = _poll(pack, sandbox, "time_entry_deleted", None)["state"]
        sandbox.set_time(START.replace(minute=5))
        params = {"workspace_id": DEMO_WORKSPACE_ID, "time_entry_id": SAMPLE_TIME_ENTRY_ID}
        _run(pack, sandbox, "delete_time_entry", params)
        assert received.arrived.wait(10), "no delivery arrived"
        sandbox.wait_for_deliveries(10)
    (headers, body) = received.requests[0]
    (delivered,) = verify(headers, body, token)["events"]
    (polled,) = _poll(pack, sandbox, "time_entry_deleted", state)["events"]
    assert (
        delivered["event_id"] == polled["event_id"] == f"TIME_ENTRY_DELETED:{SAMPLE_TIME_ENTRY_ID}"
    )
    # The delivery has the entry as it was; the poll's deletion record does not.
    assert delivered["description"] == "Seeded entry" and polled["description"] is None
    assert polled["deleted_at"] == "2026-01-28T09:05:00Z" and delivered["deleted_at"] is None
