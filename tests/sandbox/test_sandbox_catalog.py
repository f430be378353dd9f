"""Clients, tags and workspace members as Clockify serves them (docs/clockify-api.md §15,
§16, §18, §25, §26), over a real socket and in-process."""

from __future__ import annotations

import httpx
import pytest

from clockify_actions.sandbox import (
    ARCHIVED_CLIENT_ID,
    ARCHIVED_TAG_ID,
    COLLEAGUE_USER_ID,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    FOREIGN_WORKSPACE_ID,
    INVITED_USER_ID,
    MEETING_TAG_ID,
)

WS = f"/workspaces/{DEMO_WORKSPACE_ID}"


def error(response: httpx.Response) -> tuple[int, str, int]:
    body = response.json()
    return response.status_code, body["message"], body["code"]


def names(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()]


# --- clients -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("archived", "expected"),
    [
        (None, ["Acme Corp", "Globex", "Initech"]),
        ("true", ["Initech"]),
        ("0", ["Acme Corp", "Globex"]),
    ],
)
def test_clients_are_listed_archived_included_by_default(
    api: httpx.Client, archived: str | None, expected: list[str]
) -> None:
    params = {} if archived is None else {"archived": archived}
    assert names(api.get(f"{WS}/clients", params=params)) == expected


def test_an_archived_client_keeps_its_name_taken(api: httpx.Client) -> None:
    archived = api.get(f"{WS}/clients", params={"name": "initech"}).json()
    assert [c["id"] for c in archived] == [ARCHIVED_CLIENT_ID]
    assert error(api.post(f"{WS}/clients", json={"name": "Initech"})) == (
        400,
        "Client with name 'Initech' already exists",
        501,
    )


@pytest.mark.parametrize(
    ("name", "value", "java_type", "cause"),
    [
        ("page-size", "abc", "int", 'For input string: "abc"'),
        ("page", "1.5", "int", 'For input string: "1.5"'),
        ("archived", "maybe", "java.lang.Boolean", "Invalid boolean value [maybe]"),
    ],
)
def test_client_query_that_does_not_convert_is_code_3000(
    api: httpx.Client, name: str, value: str, java_type: str, cause: str
) -> None:
    assert error(api.get(f"{WS}/clients", params={name: value})) == (
        400,
        f"Method parameter '{name}': Failed to convert value of type 'java.lang.String' to"
        f" required type '{java_type}'; {cause}",
        3000,
    )


def test_clients_page_by_the_size_asked(api: httpx.Client) -> None:
    first = api.get(f"{WS}/clients", params={"page-size": "2"})
    last = api.get(f"{WS}/clients", params={"page-size": "2", "page": "2"})
    assert (names(first), first.headers["Last-Page"]) == (["Acme Corp", "Globex"], "false")
    assert (names(last), last.headers["Last-Page"]) == (["Initech"], "true")
    too_big = api.get(f"{WS}/clients", params={"page-size": "5001"})
    assert error(too_big) == (400, "Page size cannot be larger than 5,000.", 501)


# --- tags ----------------------------------------------------------------------------------


def test_tags_are_listed_by_name_archived_included_by_default(api: httpx.Client) -> None:
    listed = api.get(f"{WS}/tags")
    assert names(listed) == ["Meeting", "Old", "Urgent"]
    assert listed.headers["Last-Page"] == "true"
    assert listed.json()[0] == {
        "id": MEETING_TAG_ID,
        "name": "Meeting",
        "workspaceId": DEMO_WORKSPACE_ID,
        "archived": False,
    }
    assert names(api.get(f"{WS}/tags", params={"archived": "true"})) == ["Old"]
    assert names(api.get(f"{WS}/tags", params={"archived": "false"})) == ["Meeting", "Urgent"]


def test_tag_names_filter_by_part_or_whole_ignoring_case(api: httpx.Client) -> None:
    assert names(api.get(f"{WS}/tags", params={"name": "EET"})) == ["Meeting"]
    strict = {"name": "meet", "strict-name-search": "true"}
    assert names(api.get(f"{WS}/tags", params=strict)) == []
    whole = {"name": "MEETING", "strict-name-search": "true"}
    assert names(api.get(f"{WS}/tags", params=whole)) == ["Meeting"]


def test_tag_create_answers_201_and_refuses_a_taken_name(api: httpx.Client) -> None:
    created = api.post(f"{WS}/tags", json={"name": " Workshop "})
    assert created.status_code == 201
    assert {k: v for k, v in created.json().items() if k != "id"} == {
        "name": "Workshop",
        "workspaceId": DEMO_WORKSPACE_ID,
        "archived": False,
    }
    assert "Workshop" in names(api.get(f"{WS}/tags"))
    # Archived ("Old") and differently cased names are taken too.
    for taken in ("Workshop", "old"):
        assert error(api.post(f"{WS}/tags", json={"name": taken})) == (
            400,
            f"Tag with name {taken} already exists",
            501,
        )
    assert error(api.post(f"{WS}/tags", json={"name": "  "})) == (400, "Tag name is required", 501)


def test_tags_bind_paging_into_a_filter_object(api: httpx.Client) -> None:
    # /tags refuses a non-integer page size with 501 and the bare cause (§10.2, §25.1).
    assert error(api.get(f"{WS}/tags", params={"page-size": "1.5"})) == (
        400,
        'For input string: "1.5"',
        501,
    )
    first = api.get(f"{WS}/tags", params={"page-size": "1"})
    assert (names(first), first.headers["Last-Page"]) == (["Meeting"], "false")


def test_tags_of_a_foreign_workspace_are_denied(api: httpx.Client) -> None:
    denied = api.get(f"/workspaces/{FOREIGN_WORKSPACE_ID}/tags")
    assert error(denied) == (403, "Access Denied", 403)
    assert ARCHIVED_TAG_ID in [t["id"] for t in api.get(f"{WS}/tags").json()]


# --- workspace users -----------------------------------------------------------------------


def ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [user["id"] for user in response.json()]


def test_users_are_the_members_by_email(api: httpx.Client) -> None:
    listed = api.get(f"{WS}/users")
    assert ids(listed) == [DEMO_USER_ID, INVITED_USER_ID, COLLEAGUE_USER_ID]
    assert listed.headers["Last-Page"] == "true"
    invited = listed.json()[1]
    # Someone invited who has not signed up: no name, no settings (§18).
    assert (invited["name"], invited["settings"], invited["status"]) == (
        None,
        None,
        "NOT_REGISTERED",
    )
    assert all(user["memberships"] == [] for user in listed.json())


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"email": "SAM."}, [COLLEAGUE_USER_ID]),
        ({"name": "user"}, [DEMO_USER_ID]),
        ({"status": "PENDING"}, [INVITED_USER_ID]),
        ({"status": "ACTIVE"}, [DEMO_USER_ID, COLLEAGUE_USER_ID]),
        ({"status": "ALL", "page-size": "1", "page": "3"}, [COLLEAGUE_USER_ID]),
    ],
)
def test_users_filter_by_email_name_and_membership_status(
    api: httpx.Client, params: dict[str, str], expected: list[str]
) -> None:
    assert ids(api.get(f"{WS}/users", params=params)) == expected


def test_users_refuse_an_unknown_status_and_a_bad_page(api: httpx.Client) -> None:
    status, message, code = error(api.get(f"{WS}/users", params={"status": "GONE"}))
    assert (status, code) == (400, 501)
    assert message.startswith("You entered invalid value for field: [status].")
    assert error(api.get(f"{WS}/users", params={"page": "x"}))[2] == 3000
