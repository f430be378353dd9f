"""A workspace's members administered, workspaces created, an add-on's webhooks listed, an
image uploaded and the attendance report, as Clockify answers them (Clockify's API facts,
part 3, §37.3, §38.1, §35.11)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from clockify_actions.sandbox import (
    COLLEAGUE_USER_ID,
    DEMO_API_KEY,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    Sandbox,
)

WS = f"/workspaces/{DEMO_WORKSPACE_ID}"


@pytest.fixture
def api(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url="https://api.clockify.me/api/v1",
        transport=sandbox.transport(),
        headers={"X-Api-Key": DEMO_API_KEY},
    ) as client:
        yield client


def _membership(workspace: dict[str, Any], user_id: str) -> dict[str, Any]:
    (found,) = [m for m in workspace["memberships"] if m["userId"] == user_id]
    return found


def test_a_member_is_deactivated_and_activated(api: httpx.Client) -> None:
    path = f"{WS}/users/{COLLEAGUE_USER_ID}"
    inactive = api.put(path, json={"status": "INACTIVE"}).json()
    assert _membership(inactive, COLLEAGUE_USER_ID)["membershipStatus"] == "INACTIVE"
    active = api.put(path, json={"status": "ACTIVE"}).json()
    assert _membership(active, COLLEAGUE_USER_ID)["membershipStatus"] == "ACTIVE"
    assert api.put(path, json={"status": "GONE"}).status_code == 400


def test_a_team_managers_role_makes_it_a_manager(api: httpx.Client) -> None:
    roles = f"{WS}/users/{COLLEAGUE_USER_ID}/roles"
    body = {"role": "TEAM_MANAGER", "entityId": DEMO_USER_ID}
    created = api.post(roles, json=body)
    assert created.status_code == 201
    assert created.json() == [
        {
            "role": {"id": DEMO_USER_ID, "name": "TEAM_MANAGER", "source": None},
            "userId": COLLEAGUE_USER_ID,
            "workspaceId": DEMO_WORKSPACE_ID,
        }
    ]
    managers = api.get(f"{WS}/users/{DEMO_USER_ID}/managers")
    assert [user["id"] for user in managers.json()] == [COLLEAGUE_USER_ID]
    assert managers.headers["last-page"] == "true"
    deleted = api.request("DELETE", roles, json=body)
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert api.get(f"{WS}/users/{DEMO_USER_ID}/managers").json() == []


def test_members_are_searched_with_a_camel_case_body(api: httpx.Client) -> None:
    answer = api.post(f"{WS}/users/info", json={"email": "demo.user", "pageSize": 10})
    assert [user["id"] for user in answer.json()] == [DEMO_USER_ID]
    listed = api.get(f"{WS}/users").json()
    assert api.post(f"{WS}/users/info", json={}).json() == listed


def test_a_member_profile_is_read_and_patched(api: httpx.Client) -> None:
    path = f"{WS}/member-profile/{DEMO_USER_ID}"
    profile = api.get(path).json()
    assert set(profile) == {
        "email",
        "hasPassword",
        "hasPendingApprovalRequest",
        "imageUrl",
        "name",
        "userCustomFieldValues",
        "weekStart",
        "workCapacity",
        "workingDays",
        "workspaceNumber",
    }
    patched = api.patch(path, json={"workCapacity": "PT10H", "weekStart": "SUNDAY"}).json()
    assert (patched["workCapacity"], patched["weekStart"]) == ("PT10H", "SUNDAY")
    assert api.get(path).json()["workCapacity"] == "PT10H"
    put = api.put(path, json={})
    assert (put.status_code, put.headers["allow"]) == (405, "GET, PATCH")


def test_an_invited_member_joins_pending(api: httpx.Client) -> None:
    answer = api.post(f"{WS}/users", json={"email": "new.member@example.com"})
    assert answer.status_code == 200
    (invited,) = [
        user for user in api.get(f"{WS}/users").json() if user["email"] == "new.member@example.com"
    ]
    assert _membership(answer.json(), invited["id"])["membershipStatus"] == "PENDING"
    again = api.post(f"{WS}/users", json={"email": "new.member@example.com"})
    assert again.status_code == 400


def test_a_workspace_is_created_with_the_caller_in_it(api: httpx.Client) -> None:
    answer = api.post("/workspaces", json={"name": "Side project"})
    assert answer.status_code == 201
    created = answer.json()
    assert [m["userId"] for m in created["memberships"]] == [DEMO_USER_ID]
    assert created["id"] in {w["id"] for w in api.get("/workspaces").json()}


def test_an_addons_webhooks_are_listed_in_the_wrapper(api: httpx.Client) -> None:
    listed = api.get(f"{WS}/addons/64b7c0de5eed00000000ad00/webhooks")
    assert listed.json() == {"workspaceWebhookCount": 0, "webhooks": []}
    malformed = api.get(f"{WS}/addons/not-an-id/webhooks")
    assert (malformed.status_code, malformed.json()) == (
        400,
        {"message": "state should be: hexString has 24 characters"},
    )


def test_an_image_is_uploaded_as_a_multipart_file(api: httpx.Client) -> None:
    answer = api.post("/file/image", files={"file": ("me.jpg", b"\xff\xd8\xff", "image/jpeg")})
    assert answer.status_code == 200, answer.text
    uploaded = answer.json()
    assert uploaded["name"].startswith("image-") and uploaded["name"].endswith(".jpg")
    assert uploaded["url"].endswith(uploaded["name"])
    assert api.post("/file/image", json={}).status_code == 415


def test_the_attendance_report_has_a_row_per_member_and_day(sandbox: Sandbox) -> None:
    body = {
        "dateRangeStart": "2024-01-15T00:00:00Z",
        "dateRangeEnd": "2024-01-21T23:59:59Z",
        "timeZone": "UTC",
        "attendanceFilter": {"page": 1, "pageSize": 50},
    }
    with httpx.Client(transport=sandbox.transport(), headers={"X-Api-Key": DEMO_API_KEY}) as c:
        url = f"https://reports.api.clockify.me/v1{WS}/reports/attendance"
        report = c.post(url, json=body).json()
        refused = c.post(url, json={k: v for k, v in body.items() if k != "attendanceFilter"})
    (row,) = report["entities"]
    assert set(row) == {
        "break",
        "capacity",
        "date",
        "hasRunningEntry",
        "imageUrl",
        "overtime",
        "remainingCapacity",
        "timeOff",
        "totalDuration",
        "userId",
        "userName",
        "zonedEnd",
        "zonedStart",
    }
    assert (row["date"], row["totalDuration"], row["zonedStart"]) == (
        "2024-01-15",
        5400,
        "2024-01-15T09:00:00",
    )
    assert isinstance(report["totals"], dict)  # an object here, unlike the other reports
    assert refused.status_code == 400
