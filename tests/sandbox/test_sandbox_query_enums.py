"""Every enum query parameter of an emulated route is checked against Clockify's set of
values before anything is answered (docs/clockify-api.md §16.1, §25.3): a value outside it
is a 400 with code 501 that names the parameter and lists the set; a value inside it, or
an empty one, is served."""

from __future__ import annotations

import httpx
import pytest

from clockify_actions.sandbox import DEMO_API_KEY, DEMO_WORKSPACE_ID, SAMPLE_PROJECT_ID, Sandbox

WS = f"/workspaces/{DEMO_WORKSPACE_ID}"


@pytest.fixture
def api(sandbox: Sandbox) -> httpx.Client:
    return httpx.Client(
        base_url="https://api.clockify.me/api/v1",
        transport=sandbox.transport(),
        headers={"X-Api-Key": DEMO_API_KEY},
    )


def _refusal(name: str, values: str) -> dict[str, object]:
    return {
        "message": f"You entered invalid value for field: [{name}]. This field can be empty and"
        f" can be null. Make sure that every value representing: [{name}] must be from the"
        f" following set: {values}.",
        "code": 501,
    }


# Clockify's own error for /tags names "ID, NAME" (§16.1); the other sets are the spec's.
@pytest.mark.parametrize(
    ("path", "name", "values"),
    [
        (f"{WS}/tags", "sort-column", "ID, NAME"),
        (f"{WS}/tags", "sort-order", "ASCENDING, DESCENDING"),
        (f"{WS}/clients", "sort-column", "NAME, EMAIL, NOTE"),
        (f"{WS}/clients", "sort-order", "ASCENDING, DESCENDING"),
        (f"{WS}/projects", "sort-column", "ID, NAME, CLIENT_NAME, DURATION, BUDGET, PROGRESS"),
        (f"{WS}/projects", "client-status", "ACTIVE, ARCHIVED, ALL"),
        (f"{WS}/projects", "user-status", "PENDING, ACTIVE, DECLINED, INACTIVE, ALL"),
        (f"{WS}/projects", "access", "PUBLIC, PRIVATE"),
        (f"{WS}/projects/{SAMPLE_PROJECT_ID}/tasks", "sort-column", "ID, NAME"),
        (f"{WS}/projects/{SAMPLE_PROJECT_ID}/tasks", "sort-order", "ASCENDING, DESCENDING"),
        (f"{WS}/users", "memberships", "ALL, NONE, WORKSPACE, PROJECT, USERGROUP"),
        (
            f"{WS}/users",
            "sort-column",
            "ID, EMAIL, NAME, NAME_LOWERCASE, ACCESS, HOURLYRATE, COSTRATE",
        ),
        (f"{WS}/users", "status", "PENDING, ACTIVE, DECLINED, INACTIVE, ALL"),
        (f"{WS}/webhooks", "type", "USER_CREATED, SYSTEM, ADDON"),
        ("/workspaces", "roles", "WORKSPACE_ADMIN, OWNER, TEAM_MANAGER, PROJECT_MANAGER"),
    ],
)
def test_a_value_outside_the_set_is_refused(
    api: httpx.Client, path: str, name: str, values: str
) -> None:
    answer = api.get(path, params={name: "BOGUS"})
    assert (answer.status_code, answer.json()) == (400, _refusal(name, values))
    first = values.split(", ")[0]
    if first != "SYSTEM":  # which live answers with a 500 (§29.2 item 10)
        assert api.get(path, params={name: first}).status_code == 200
    assert api.get(path, params={name: ""}).status_code == 200


def test_a_contains_filter_is_a_boolean(api: httpx.Client) -> None:
    answer = api.get(f"{WS}/projects", params={"contains-client": "maybe"})
    assert answer.status_code == 400
    assert answer.json() == {
        "message": "Method parameter 'contains-client': Failed to convert value of type"
        " 'java.lang.String' to required type 'java.lang.Boolean'; Invalid boolean value [maybe]",
        "code": 3000,
    }
    assert api.get(f"{WS}/projects", params={"contains-client": "false"}).status_code == 200


def test_system_webhooks_are_a_server_error_as_live(api: httpx.Client) -> None:
    assert api.get(f"{WS}/webhooks", params={"type": "SYSTEM"}).status_code == 500
    listed = api.get(f"{WS}/webhooks", params={"type": "ADDON"}).json()
    assert listed == {"workspaceWebhookCount": 0, "webhooks": []}
