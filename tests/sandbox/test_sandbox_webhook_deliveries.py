"""Webhook deliveries carry the bodies of Clockify's recorded deliveries (docs/clockify-api.md
§22.2: NEW_TIME_ENTRY, 2025; the API facts' part 3, §38.3: TIME_ENTRY_DELETED, 2026; §38.4: the sample bodies of the
other events), and a webhook's logs, statuses and update answer as §21 and §38.1 record."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import httpx
import pytest

from clockify_actions.sandbox import (
    DEMO_API_KEY,
    DEMO_CLIENT_ID,
    DEMO_WORKSPACE_ID,
    DESIGN_TASK_ID,
    MEETING_TAG_ID,
    SAMPLE_PROJECT_ID,
    Sandbox,
)

WS = f"/workspaces/{DEMO_WORKSPACE_ID}"
# §22.2, the captured NEW_TIME_ENTRY delivery (2025), verbatim.
RECORDED_NEW_TIME_ENTRY = json.loads("""
{"id":"68453d0cf0c88d522704ab76","description":"Test","userId":"684446430300f917a02c198a","billable":true,
 "projectId":"68444b15551a9934b5034263",
 "timeInterval":{"start":"2025-06-16T07:05:00Z","end":"2025-06-16T18:53:00Z","duration":"PT11H48M",
   "timeZone":"Asia/Calcutta","offsetStart":19800,"offsetEnd":19800,
   "zonedStart":"2025-06-16T12:35:00","zonedEnd":"2025-06-17T00:23:00"},
 "workspaceId":"684446430300f917a02c198b","isLocked":false,"hourlyRate":null,"costRate":null,
 "customFieldValues":[],"type":"REGULAR","kioskId":null,"approvalStatus":null,"projectCurrency":null,
 "currentlyRunning":false,
 "project":{"name":"Test","clientId":"","workspaceId":"684446430300f917a02c198b","billable":true,
   "estimate":{"estimate":"PT0S","type":"AUTO"},"color":"#039BE5","archived":false,"clientName":"",
   "duration":"PT47H12M45S","note":"","activeEstimate":"NONE",
   "timeEstimate":{"includeNonBillable":true,"estimate":0,"type":"AUTO","resetOption":null},
   "budgetEstimate":null,"id":"68444b15551a9934b5034263","public":true,"template":false},
 "task":{"name":"test","projectId":"68444b15551a9934b5034263","assigneeId":"684446430300f917a02c198a",
   "assigneeIds":["684446430300f917a02c198a"],"userGroupIds":[],"estimate":"PT0S","status":"ACTIVE",
   "workspaceId":"684446430300f917a02c198b","budgetEstimate":0,"billable":true,"hourlyRate":null,
   "costRate":null,"auditMetadata":{"updatedAt":1749306307000},"id":"68444badb7688b61f151284d",
   "duration":"PT35H24M41S"},
 "user":{"id":"684446430300f917a02c198a","name":"johndoe","status":"ACTIVE"},
 "tags":[{"name":"new","workspaceId":"684446430300f917a02c198b","archived":false,"id":"68452a1b0300f917a02f30bc"}]}
""")
# §38.3, the captured TIME_ENTRY_DELETED delivery (2026), as the fact sheet quotes it.
RECORDED_TIME_ENTRY_DELETED = json.loads("""
{"id":"ID_001","description":"d","userId":"UID1","billable":true,"projectId":"PROJ_A",
 "timeInterval":{"start":"2026-08-07T22:40:00Z","end":"2026-08-07T23:40:00Z","duration":"PT1H","timeZone":"Europe/Belgrade","offsetStart":7200,"offsetEnd":7200,"zonedStart":"2026-08-08T00:40:00","zonedEnd":"2026-08-08T01:40:00"},
 "workspaceId":"WSID","isLocked":false,"hourlyRate":null,"costRate":null,
 "customFieldValues":[],
 "type":"REGULAR","kioskId":null,"approvalStatus":null,"detailedApprovalStatus":null,"projectCurrency":null,"currentlyRunning":false,
 "project":{"name":"DSWH1_richproj","hourlyRate":{"amount":12300},"costRate":{"amount":4500},"clientId":"CLIENT_A","workspaceId":"WSID","billable":true,"memberships":[{"userId":"UID1","hourlyRate":null,"costRate":null}],"estimate":{"estimate":"PT0S","type":"AUTO"},"color":"#8D6E63","archived":false,"clientName":"DSWH1_richclient","duration":"PT0S","note":"","activeEstimate":"NONE","timeEstimate":{"includeNonBillable":true,"estimate":0,"type":"AUTO","resetOption":null},"budgetEstimate":null,"estimateReset":null,"sourceType":null,"auditMetadata":{"updatedAt":1786141866000},"accessOnPaidPlan":null,"id":"PROJ_A","public":false,"template":false},
 "task":{"name":"DSWH1_richtask","projectId":"PROJ_A","assigneeId":"","assigneeIds":[],"userGroupIds":[],"estimate":"PT0S","status":"ACTIVE","workspaceId":"WSID","budgetEstimate":0,"billable":false,"hourlyRate":null,"costRate":null,"sourceType":"PRODUCTION","id":"TASK_A","duration":"PT0S"},
 "user":{"id":"UID1","name":"Firstname Lastname","status":"ACTIVE","hourlyRate":{"amount":99900},"costRate":{"amount":777700}},
 "tags":[{"name":"DSWH1_tagA","workspaceId":"WSID","archived":false,"id":"TAG_A"}]}
""")
# §38.4's sample key sets (LIKELY: samples of unknown date).
NAMED_KEYS = ["id", "name", "workspaceId", "archived"]
TASK_KEYS = [
    "id",
    "name",
    "projectId",
    "assigneeIds",
    "assigneeId",
    "userGroupIds",
    "estimate",
    "status",
    "duration",
]


def _same_keys(delivered: Any, recorded: Any, where: str = "") -> list[str]:
    """Where the two bodies' key sets differ, at any depth (a null on either side matches
    an object on the other: the values depend on the data)."""
    if isinstance(delivered, dict) and isinstance(recorded, dict):
        problems = []
        if list(delivered) != list(recorded):
            problems.append(f"{where or '/'}: {list(delivered)} != {list(recorded)}")
        for key in set(delivered) & set(recorded):
            problems += _same_keys(delivered[key], recorded[key], f"{where}/{key}")
        return problems
    if isinstance(delivered, list) and isinstance(recorded, list) and delivered and recorded:
        return _same_keys(delivered[0], recorded[0], f"{where}/0")
    return []


@pytest.fixture
def api(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url="https://api.clockify.me/api/v1",
        transport=sandbox.transport(),
        headers={"X-Api-Key": DEMO_API_KEY},
    ) as client:
        yield client


def _hook(api: httpx.Client, event: str, url: str = "https://example.com/hook") -> str:
    body = {"name": event[:30], "url": url, "webhookEvent": event}
    answer = api.post(f"{WS}/webhooks", json=body)
    assert answer.status_code == 201, answer.text
    hook_id: str = answer.json()["id"]
    return hook_id


def _delivered(api: httpx.Client, sandbox: Sandbox, hook_id: str) -> list[dict[str, Any]]:
    sandbox.wait_for_deliveries()
    answer = api.post(f"{WS}/webhooks/{hook_id}/logs", json={})
    assert answer.status_code == 200, answer.text
    return [json.loads(log["requestBody"]) for log in answer.json()]


def _entry(api: httpx.Client, **fields: Any) -> dict[str, Any]:
    body = {
        "start": "2026-01-27T09:00:00Z",
        "end": "2026-01-27T10:30:00Z",
        "description": "Hooked",
        "projectId": SAMPLE_PROJECT_ID,
        "taskId": DESIGN_TASK_ID,
        "tagIds": [MEETING_TAG_ID],
        **fields,
    }
    answer = api.post(f"{WS}/time-entries", json=body)
    assert answer.status_code == 201, answer.text
    entry: dict[str, Any] = answer.json()
    return entry


def test_a_new_time_entry_is_delivered_in_the_recorded_shape(
    api: httpx.Client, sandbox: Sandbox
) -> None:
    hook = _hook(api, "NEW_TIME_ENTRY")
    _entry(api)
    (body,) = _delivered(api, sandbox, hook)
    assert _same_keys(body, RECORDED_NEW_TIME_ENTRY) == []
    assert body["project"]["timeEstimate"]["estimate"] == 0
    assert isinstance(body["task"]["auditMetadata"]["updatedAt"], int)
    assert body["timeInterval"]["zonedStart"] == "2026-01-27T10:00:00"  # Berlin, UTC+1


def test_a_started_timer_is_the_same_shape_running(api: httpx.Client, sandbox: Sandbox) -> None:
    hook = _hook(api, "NEW_TIMER_STARTED")
    _entry(api, end=None)
    (body,) = _delivered(api, sandbox, hook)
    assert _same_keys(body, RECORDED_NEW_TIME_ENTRY) == []
    assert body["currentlyRunning"] is True
    assert [body["timeInterval"][k] for k in ("end", "duration", "zonedEnd", "offsetEnd")] == [
        None
    ] * 4


@pytest.mark.parametrize("event", ["TIME_ENTRY_DELETED", "TIME_ENTRY_UPDATED", "TIMER_STOPPED"])
def test_a_changed_entry_is_delivered_in_the_recorded_deleted_shape(
    api: httpx.Client, sandbox: Sandbox, event: str
) -> None:
    hook = _hook(api, event)
    entry = _entry(api, end=None if event == "TIMER_STOPPED" else "2026-01-27T10:30:00Z")
    if event == "TIME_ENTRY_DELETED":
        assert api.delete(f"{WS}/time-entries/{entry['id']}").status_code == 204
    elif event == "TIME_ENTRY_UPDATED":
        update = {"start": "2026-01-27T09:00:00Z", "end": "2026-01-27T11:00:00Z"}
        update |= {"projectId": SAMPLE_PROJECT_ID, "taskId": DESIGN_TASK_ID}
        update |= {"tagIds": [MEETING_TAG_ID]}
        assert api.put(f"{WS}/time-entries/{entry['id']}", json=update).status_code == 200
    else:
        user = entry["userId"]
        stop = {"end": "2026-01-27T10:00:00Z"}
        assert api.patch(f"{WS}/user/{user}/time-entries", json=stop).status_code == 200
    (body,) = _delivered(api, sandbox, hook)
    assert _same_keys(body, RECORDED_TIME_ENTRY_DELETED) == []
    assert "taskId" not in body and "tagIds" not in body


def test_clients_tags_tasks_and_projects_are_delivered_as_the_samples(
    api: httpx.Client, sandbox: Sandbox
) -> None:
    hooks = {event: _hook(api, event) for event in ("NEW_CLIENT", "NEW_TAG", "NEW_TASK")}
    hooks["NEW_PROJECT"] = _hook(api, "NEW_PROJECT")
    assert api.post(f"{WS}/clients", json={"name": "Hooli"}).status_code == 201
    assert api.post(f"{WS}/tags", json={"name": "Hooked"}).status_code == 201
    tasks = f"{WS}/projects/{SAMPLE_PROJECT_ID}/tasks"
    assert api.post(tasks, json={"name": "Hooked"}).status_code == 201
    project = {"name": "Hooked", "clientId": DEMO_CLIENT_ID}
    assert api.post(f"{WS}/projects", json=project).status_code == 201
    (client,) = _delivered(api, sandbox, hooks["NEW_CLIENT"])
    (tag,) = _delivered(api, sandbox, hooks["NEW_TAG"])
    (task,) = _delivered(api, sandbox, hooks["NEW_TASK"])
    (delivered_project,) = _delivered(api, sandbox, hooks["NEW_PROJECT"])
    assert list(client) == NAMED_KEYS and list(tag) == NAMED_KEYS
    assert list(task) == TASK_KEYS
    assert delivered_project["tasks"] == []
    assert delivered_project["client"] == {
        "name": "Acme Corp",
        "workspaceId": DEMO_WORKSPACE_ID,
        "archived": False,
        "id": DEMO_CLIENT_ID,
    }


def test_logs_are_posted_for_a_webhook_of_the_workspace(api: httpx.Client) -> None:
    unknown = api.post(f"{WS}/webhooks/64b7c0de5eed00000000ffff/logs", json={})
    assert (unknown.status_code, unknown.json()) == (
        400,
        {"message": "Webhook doesn't belong to Workspace", "code": 501},
    )
    hook = _hook(api, "NEW_TAG")
    got = api.get(f"{WS}/webhooks/{hook}/logs")
    assert (got.status_code, got.headers["allow"]) == (405, "POST")
    assert api.post(f"{WS}/webhooks/{hook}/logs", json={}).json() == []
    assert api.get(f"{WS}/webhooks/{hook}/statuses").json() == []


def test_logs_and_statuses_record_each_attempt(api: httpx.Client, sandbox: Sandbox) -> None:
    hook = _hook(api, "NEW_TAG")
    assert api.post(f"{WS}/tags", json={"name": "Logged"}).status_code == 201
    sandbox.wait_for_deliveries()
    (log,) = api.post(f"{WS}/webhooks/{hook}/logs", json={"status": "FAILED"}).json()
    assert list(log) == [
        "id",
        "webhookId",
        "statusCode",
        "requestBody",
        "responseBody",
        "respondedAt",
        "webhookEventStatusId",
    ]
    assert api.post(f"{WS}/webhooks/{hook}/logs", json={"status": "SUCCEEDED"}).json() == []
    (status,) = api.get(f"{WS}/webhooks/{hook}/statuses").json()
    assert status["id"] == log["webhookEventStatusId"]
    assert (status["status"], status["webhookLogId"]) == ("FAILED", log["id"])
    assert api.get(f"{WS}/webhooks/{hook}/statuses", params={"statuses": "SUCCEEDED"}).json() == []


def test_a_webhook_is_updated_by_put(api: httpx.Client) -> None:
    hook = _hook(api, "NEW_TAG")
    body = {
        "url": "https://example.com/other",
        "webhookEvent": "NEW_CLIENT",
        "triggerSourceType": "WORKSPACE_ID",
        "triggerSource": [DEMO_WORKSPACE_ID],
    }
    answer = api.put(f"{WS}/webhooks/{hook}", json=body)
    assert answer.status_code == 200, answer.text
    assert {k: answer.json()[k] for k in body} == body
    assert answer.json()["name"] == "NEW_TAG"
    missing = api.put(f"{WS}/webhooks/{hook}", json={"url": "https://example.com/x"})
    assert missing.status_code == 400


class _Receiver(BaseHTTPRequestHandler):
    keys: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.keys.append(self.headers["Idempotency-Key"])
        self.send_response(500)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


def test_every_attempt_carries_a_new_idempotency_key(api: httpx.Client, sandbox: Sandbox) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        _hook(api, "NEW_TAG", f"http://127.0.0.1:{server.server_address[1]}/hook")
        assert api.post(f"{WS}/tags", json={"name": "Retried"}).status_code == 201
        sandbox.wait_for_deliveries()
    finally:
        server.shutdown()
        server.server_close()
    assert len(_Receiver.keys) == 3 and len(set(_Receiver.keys)) == 3
