"""The sandbox's change tracking (`/entities/*`, docs/clockify-api.md §23.2) and webhook
routes (§21), as Clockify answers them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from clockify_actions.sandbox import DEMO_API_KEY, DEMO_WORKSPACE_ID, Sandbox

WORKSPACE = f"/workspaces/{DEMO_WORKSPACE_ID}"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[tuple[Sandbox, httpx.Client]]:
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as sandbox:
        sandbox.set_time(datetime(2026, 1, 28, 9, tzinfo=UTC))
        with httpx.Client(
            transport=sandbox.transport(),
            base_url="https://api.clockify.me/api/v1",
            headers={"X-Api-Key": DEMO_API_KEY},
        ) as client:
            yield sandbox, client


def test_entities_needs_a_type(app: tuple[Sandbox, httpx.Client]) -> None:
    _, client = app
    answer = client.get(f"{WORKSPACE}/entities/created")
    assert answer.status_code == 400
    assert answer.json() == {
        "message": "Required request parameter 'type' for method parameter type List is not present",
        "code": 3001,
    }


def test_created_updated_and_deleted_each_list_their_own_change(
    app: tuple[Sandbox, httpx.Client],
) -> None:
    sandbox, client = app
    made = client.post(
        f"{WORKSPACE}/time-entries",
        json={"start": "2026-01-28T08:00:00Z", "end": "2026-01-28T08:30:00Z"},
    ).json()
    sandbox.set_time(datetime(2026, 1, 28, 10, tzinfo=UTC))
    edited = client.put(
        f"{WORKSPACE}/time-entries/{made['id']}",
        json={"start": "2026-01-28T08:00:00Z", "end": "2026-01-28T08:45:00Z", "description": "x"},
    )
    assert edited.status_code == 200

    def ids(route: str, start: str) -> list[str]:
        answer = client.get(
            f"{WORKSPACE}/entities/{route}", params={"type": "TIME_ENTRY", "start": start}
        )
        assert answer.status_code == 200
        return [item["id"] for item in answer.json()]

    # Created and updated inside one window: only in /created, in its latest form.
    assert ids("created", "2026-01-28T08:59:00Z") == [made["id"]]
    assert ids("updated", "2026-01-28T08:59:00Z") == []
    assert ids("updated", "2026-01-28T09:30:00Z") == [made["id"]]
    (item,) = client.get(
        f"{WORKSPACE}/entities/created",
        params={"type": "TIME_ENTRY", "start": "2026-01-28T08:00:00Z"},
    ).json()
    assert item["description"] == "x" and item["documentCode"] == "TIME_ENTRY"
    assert item["auditMetadata"] == {
        "createdAt": "2026-01-28T09:00:00.000Z",
        "updatedAt": "2026-01-28T10:00:00.000Z",
    }
    sandbox.set_time(datetime(2026, 1, 28, 11, tzinfo=UTC))
    assert client.delete(f"{WORKSPACE}/time-entries/{made['id']}").status_code == 204
    (gone,) = client.get(
        f"{WORKSPACE}/entities/deleted",
        params={"type": "TIME_ENTRY", "start": "2026-01-28T10:30:00Z"},
    ).json()
    assert set(gone) == {"deletedAt", "document", "documentCode", "id"}
    assert gone["deletedAt"] == "2026-01-28T11:00:00.000Z"
    assert ids("created", "2026-01-28T08:00:00Z") == [], "a deleted entity is no longer listed"


def test_entities_pages_by_page_and_limit(app: tuple[Sandbox, httpx.Client]) -> None:
    _, client = app
    for name in ("One", "Two", "Three"):
        assert client.post(f"{WORKSPACE}/clients", json={"name": name}).status_code == 201
    query = {"type": "CLIENTS", "start": "2026-01-28T00:00:00Z", "limit": 2}
    first = client.get(f"{WORKSPACE}/entities/created", params={**query, "page": 0}).json()
    second = client.get(f"{WORKSPACE}/entities/created", params={**query, "page": 1}).json()
    assert [c["name"] for c in first + second] == ["One", "Two", "Three"]
    too_many = client.get(f"{WORKSPACE}/entities/created", params={**query, "limit": 5001})
    assert too_many.status_code == 400


def test_webhooks_list_is_an_object_and_ids_from_elsewhere_do_not_belong(
    app: tuple[Sandbox, httpx.Client],
) -> None:
    _, client = app
    body = {
        "name": "Hook",
        "url": "http://127.0.0.1:9/x",
        "webhookEvent": "NEW_TAG",
        "triggerSourceType": "WORKSPACE_ID",
        "triggerSource": [],
    }
    made = client.post(f"{WORKSPACE}/webhooks", json=body)
    assert made.status_code == 201
    hook = made.json()
    assert set(hook) == {
        "id", "userId", "workspaceId", "name", "url", "authToken", "webhookEvent",
        "triggerSourceType", "triggerSource", "enabled", "deliveryEnabled", "planEnabled",
    }  # fmt: skip
    listed = client.get(f"{WORKSPACE}/webhooks").json()
    assert listed == {"workspaceWebhookCount": 1, "webhooks": [hook]}
    renewed = client.patch(f"{WORKSPACE}/webhooks/{hook['id']}/token").json()
    assert len(renewed["authToken"]) == 32 and renewed["authToken"] != hook["authToken"]
    unnamed = client.post(f"{WORKSPACE}/webhooks", json={**body, "name": None})
    assert unnamed.json() == {"message": "Webhook already exists", "code": 501}
    short = client.post(f"{WORKSPACE}/webhooks", json={**body, "name": "x"})
    assert short.json()["message"] == "length must be between 2 and 30"
    assert client.delete(f"{WORKSPACE}/webhooks/{hook['id']}").status_code == 200
    again = client.delete(f"{WORKSPACE}/webhooks/{hook['id']}")
    assert (again.status_code, again.json()["message"]) == (
        400,
        "Webhook doesn't belong to Workspace",
    )
