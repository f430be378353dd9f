"""Routes, auth and errors, each over real HTTP and in-process (the `connect` fixture)."""

from __future__ import annotations

import json

import httpx
import pytest

from clockify_actions.sandbox import (
    ARCHIVED_CLIENT_ID,
    ARCHIVED_PROJECT_ID,
    CLIENT_PROJECT_ID,
    DEMO_ADDON_TOKEN,
    DEMO_API_KEY,
    DEMO_CLIENT_ID,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    FORCED_PROJECT_WORKSPACE_ID,
    FOREIGN_PROJECT_ID,
    FOREIGN_WORKSPACE_ID,
    GLOBEX_CLIENT_ID,
    OTHER_API_KEY,
    SAMPLE_PROJECT_ID,
    SECOND_WORKSPACE_ID,
    Sandbox,
)

from .sandbox_testkit import ClientFactory

WS = f"/workspaces/{DEMO_WORKSPACE_ID}"

PROJECT_KEYS = [
    "id",
    "name",
    "hourlyRate",
    "clientId",
    "workspaceId",
    "billable",
    "memberships",
    "color",
    "estimate",
    "archived",
    "duration",
    "clientName",
    "note",
    "costRate",
    "timeEstimate",
    "budgetEstimate",
    "estimateReset",
    "template",
    "public",
]


def error(response: httpx.Response) -> tuple[int, str, int]:
    body = response.json()
    return response.status_code, body["message"], body["code"]


# --- auth --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Api-Key": DEMO_API_KEY, "X-Addon-Token": DEMO_ADDON_TOKEN},
        {"Authorization": "Bearer x"},
    ],
    ids=["none", "both", "bearer"],
)
def test_exactly_one_auth_header_is_required(
    connect: ClientFactory, headers: dict[str, str]
) -> None:
    response = connect(api_key=None).get("/user", headers=headers)
    assert error(response) == (401, "Multiple or none auth tokens present", 1000)


@pytest.mark.parametrize("key", ["no-such-key", ""])
def test_unknown_or_empty_api_key_is_4003(connect: ClientFactory, key: str) -> None:
    assert error(connect(api_key=key).get("/user")) == (401, "Api key does not exist", 4003)


def test_addon_token_authenticates_and_a_bad_one_is_4017(connect: ClientFactory) -> None:
    client = connect(api_key=None)
    assert client.get("/user", headers={"X-Addon-Token": DEMO_ADDON_TOKEN}).json()["id"] == (
        DEMO_USER_ID
    )
    # An API key is not an addon token.
    response = client.get("/user", headers={"X-Addon-Token": DEMO_API_KEY})
    assert error(response) == (401, "Token is not valid", 4017)


def test_header_names_ignore_case(connect: ClientFactory) -> None:
    response = connect(api_key=None).get("/user", headers={"x-api-KEY": DEMO_API_KEY})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "workspace",
    [FOREIGN_WORKSPACE_ID, DEMO_WORKSPACE_ID[:21], "null"],
    ids=["foreign", "short", "null"],
)
def test_workspace_outside_the_users_memberships_is_403(api: httpx.Client, workspace: str) -> None:
    response = api.get(f"/workspaces/{workspace}/projects")
    assert response.status_code == 403
    assert response.json()["message"] == "Access Denied"


def test_the_other_user_sees_only_their_workspace(connect: ClientFactory) -> None:
    other = connect(api_key=OTHER_API_KEY)
    assert [w["id"] for w in other.get("/workspaces").json()] == [FOREIGN_WORKSPACE_ID]
    assert other.get(f"{WS}/projects").status_code == 403


# --- routing -----------------------------------------------------------------------------------


def test_unknown_route_is_404_naming_the_path(api: httpx.Client) -> None:
    response = api.get(f"{WS}/time-entries/stop/now")
    assert error(response) == (
        404,
        f"No static resource v1/workspaces/{DEMO_WORKSPACE_ID}/time-entries/stop/now.",
        3000,
    )


def test_an_empty_segment_is_404_with_the_collapsed_path(api: httpx.Client) -> None:
    response = api.get(f"/workspaces//user/{DEMO_USER_ID}/time-entries")
    assert error(response) == (
        404,
        f"No static resource v1/workspaces/user/{DEMO_USER_ID}/time-entries.",
        3000,
    )


def test_post_with_an_empty_workspace_segment_is_405(api: httpx.Client, sandbox: Sandbox) -> None:
    # docs/clockify-api.md §25.4: Spring drops the empty segment, meets GET-only /workspaces/{id}.
    response = api.post("/workspaces//projects", json={"name": "Apollo"})
    assert error(response) == (405, "Request method 'POST' is not supported", 3000)
    assert response.headers["Allow"] == "GET"
    assert len(sandbox.projects(DEMO_WORKSPACE_ID)) == 3
    # PUT and PATCH on the workspace itself are 405 live too (§3).
    assert api.patch(WS, json={}).status_code == 405


def test_get_with_an_empty_segment_is_404(api: httpx.Client) -> None:
    for path, shown in [
        ("/workspaces//projects", "v1/workspaces/projects"),
        (f"{WS}//projects", f"v1{WS}/projects"),  # would match a route, yet is not served
    ]:
        assert error(api.get(path)) == (404, f"No static resource {shown}.", 3000)


def test_a_route_clockify_has_and_the_sandbox_does_not_says_so(api: httpx.Client) -> None:
    # Invoices, approvals, user groups, custom fields and scheduling exist live: never
    # Spring's 404 for them, though the sandbox emulates none of them.
    for method, path in [
        ("GET", f"{WS}/invoices"),
        ("GET", f"{WS}/approval-requests"),
        ("DELETE", f"{WS}/scheduling/assignments/recurring/{SAMPLE_PROJECT_ID}"),
        ("PUT", f"{WS}/user-groups/{SAMPLE_PROJECT_ID}"),
        ("GET", f"{WS}/projects/{SAMPLE_PROJECT_ID}/custom-fields"),
    ]:
        status, message, code = error(api.request(method, path, json=[]))
        assert (status, code) == (501, 501)
        assert (
            message
            == f"Not emulated: Clockify serves {method} /v1{path}; the sandbox does not yet."
        )


def test_wrong_method_is_405_with_allow(api: httpx.Client) -> None:
    response = api.delete(f"{WS}/projects")
    assert error(response) == (405, "Request method 'DELETE' is not supported", 3000)
    assert response.headers["Allow"] == "GET, POST"


def test_trailing_slash_names_the_same_route(api: httpx.Client) -> None:
    assert api.get("/user/").json()["id"] == DEMO_USER_ID
    # An empty time-entry id leaves POST-only /time-entries, hence 405 as live.
    assert api.get(f"{WS}/time-entries/").status_code == 405


# --- user and workspaces -----------------------------------------------------------------------


def test_user_carries_settings_and_memberships_only_on_request(api: httpx.Client) -> None:
    user = api.get("/user").json()
    assert user["settings"]["timeZone"] == "Europe/Berlin"
    assert user["status"] == "ACTIVE"
    assert user["activeWorkspace"] == user["defaultWorkspace"] == DEMO_WORKSPACE_ID
    assert user["memberships"] == []
    with_memberships = api.get("/user", params={"include-memberships": "true"}).json()
    assert {m["targetId"] for m in with_memberships["memberships"]} == {
        DEMO_WORKSPACE_ID,
        SECOND_WORKSPACE_ID,
        FORCED_PROJECT_WORKSPACE_ID,
    }


def test_workspaces_are_unpaginated_without_last_page(api: httpx.Client) -> None:
    response = api.get("/workspaces", params={"page-size": 1, "page": 2})
    assert [w["name"] for w in response.json()] == [
        "My Workspace",
        "Second Workspace",
        "Projects Required",
    ]
    assert "Last-Page" not in response.headers
    workspace = response.json()[2]
    assert workspace["workspaceSettings"]["forceProjects"] is True
    assert workspace["hourlyRate"] == {"amount": 0, "currency": "USD"}


# --- projects ----------------------------------------------------------------------------------


def names(response: httpx.Response) -> list[str]:
    return [item["name"] for item in response.json()]


@pytest.mark.parametrize(
    ("archived", "expected"),
    [
        (None, ["Archived Project", "Sample Project", "Website Redesign"]),
        ("true", ["Archived Project"]),
        ("false", ["Sample Project", "Website Redesign"]),
    ],
)
def test_project_list_archived_is_three_way(
    api: httpx.Client, archived: str | None, expected: list[str]
) -> None:
    params = {} if archived is None else {"archived": archived}
    response = api.get(f"{WS}/projects", params=params)
    assert names(response) == expected
    assert response.headers["Last-Page"] == "true"


def test_project_name_filter_contains_ignoring_case_or_matches_whole(api: httpx.Client) -> None:
    assert names(api.get(f"{WS}/projects", params={"name": "PROJECT"})) == [
        "Archived Project",
        "Sample Project",
    ]
    strict = {"name": "sample", "strict-name-search": "true"}
    assert names(api.get(f"{WS}/projects", params=strict)) == []
    strict["name"] = "sample project"
    assert names(api.get(f"{WS}/projects", params=strict)) == ["Sample Project"]


def test_project_pages_carry_last_page_and_end_in_an_empty_page(api: httpx.Client) -> None:
    pages = [api.get(f"{WS}/projects", params={"page-size": 2, "page": n}) for n in (1, 2, 3)]
    assert [names(page) for page in pages] == [
        ["Archived Project", "Sample Project"],
        ["Website Redesign"],
        [],
    ]
    assert [page.headers["Last-Page"] for page in pages] == ["false", "true", "true"]


@pytest.mark.parametrize(
    ("size", "message"),
    [
        ("0", "Page size must be a positive value"),
        ("-3", "Page size must be a positive value"),
        ("5001", "Page size cannot be larger than 5,000."),
        ("1.5", 'For input string: "1.5"'),
        ("99999999999", 'For input string: "99999999999"'),
    ],
)
def test_bad_page_size_is_400_code_501(api: httpx.Client, size: str, message: str) -> None:
    response = api.get(f"{WS}/projects", params={"page-size": size})
    assert error(response) == (400, message, 501)


def test_page_size_5000_is_accepted(api: httpx.Client) -> None:
    assert len(api.get(f"{WS}/projects", params={"page-size": 5000}).json()) == 3


def test_get_project_and_ids_outside_the_workspace_are_400(api: httpx.Client) -> None:
    project = api.get(f"{WS}/projects/{CLIENT_PROJECT_ID}").json()
    assert list(project) == PROJECT_KEYS
    assert (project["clientId"], project["clientName"]) == (DEMO_CLIENT_ID, "Acme Corp")
    for unknown in (FOREIGN_PROJECT_ID, "000000000000000000000000", "null"):
        response = api.get(f"{WS}/projects/{unknown}")
        assert error(response) == (400, "Project doesn't belong to Workspace", 501)


def test_create_project_answers_the_full_object(api: httpx.Client, sandbox: Sandbox) -> None:
    response = api.post(f"{WS}/projects", json={"name": "Apollo", "isPublic": True, "note": "n"})
    assert response.status_code == 201
    project = response.json()
    assert list(project) == PROJECT_KEYS
    assert project["public"] is True and "isPublic" not in project
    assert (project["clientId"], project["clientName"]) == ("", "")
    assert project["hourlyRate"] == {"amount": 0, "currency": "USD"}
    assert project["costRate"] is None
    assert project["duration"] == "PT0S"
    assert project["memberships"][0]["userId"] == DEMO_USER_ID
    assert project in sandbox.projects(DEMO_WORKSPACE_ID)


def test_create_project_with_client_names_it(api: httpx.Client) -> None:
    response = api.post(f"{WS}/projects", json={"name": "Apollo", "clientId": DEMO_CLIENT_ID})
    assert response.json()["clientName"] == "Acme Corp"
    unknown = api.post(f"{WS}/projects", json={"name": "Zeus", "clientId": FOREIGN_PROJECT_ID})
    assert error(unknown) == (400, "Client doesn't belong to Workspace", 501)


@pytest.mark.parametrize("name", ["Sample Project", "Archived Project", "sample project"])
def test_duplicate_project_name_is_400(api: httpx.Client, sandbox: Sandbox, name: str) -> None:
    response = api.post(f"{WS}/projects", json={"name": name})
    # Clockify's own text (docs/clockify-api.md §19.4): no client leaves two spaces.
    assert error(response) == (400, f"{name} project for client  already exists.", 501)
    assert len(sandbox.projects(DEMO_WORKSPACE_ID)) == 3


def test_a_project_name_is_unique_per_client(api: httpx.Client, sandbox: Sandbox) -> None:
    # "Website Redesign" belongs to Acme Corp; the others have no client.
    taken = api.post(
        f"{WS}/projects", json={"name": "Website Redesign", "clientId": DEMO_CLIENT_ID}
    )
    assert error(taken) == (
        400,
        "Website Redesign project for client Acme Corp already exists.",
        501,
    )
    assert api.post(f"{WS}/projects", json={"name": "Website Redesign"}).status_code == 201
    under_acme = api.post(
        f"{WS}/projects", json={"name": "Sample Project", "clientId": DEMO_CLIENT_ID}
    )
    assert under_acme.status_code == 201
    assert len(sandbox.projects(DEMO_WORKSPACE_ID)) == 5
    elsewhere = api.post(
        f"/workspaces/{SECOND_WORKSPACE_ID}/projects", json={"name": "Sample Project"}
    )
    assert elsewhere.status_code == 201


def test_project_color_must_be_a_hex_rgb(api: httpx.Client, sandbox: Sandbox) -> None:
    for color in ("#FFF", "red", "#GGGGGG", "03A9F4", "#03A9F4 ", "", "#03A9F40"):
        response = api.post(f"{WS}/projects", json={"name": "Apollo", "color": color})
        assert error(response) == (400, 'color: must match "^#(?:[0-9a-fA-F]{6}){1}$"', 501)
    assert len(sandbox.projects(DEMO_WORKSPACE_ID)) == 3
    response = api.post(f"{WS}/projects", json={"name": "Apollo", "color": "#abCD09"})
    assert (response.status_code, response.json()["color"]) == (201, "#abCD09")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "Project name is required"),
        ({"name": None}, "Project name is required"),
        ({"name": "a"}, "Project name has to be between 2 and 250 characters long"),
        ({"name": "  "}, "Project name has to be between 2 and 250 characters long"),
        ({"name": "x" * 251}, "Project name has to be between 2 and 250 characters long"),
    ],
)
def test_project_name_rules(api: httpx.Client, body: dict[str, object], message: str) -> None:
    assert error(api.post(f"{WS}/projects", json=body)) == (400, message, 501)


def test_project_name_of_250_characters_is_accepted(api: httpx.Client) -> None:
    assert api.post(f"{WS}/projects", json={"name": "x" * 250}).status_code == 201


def test_missing_or_malformed_body_is_400(api: httpx.Client, sandbox: Sandbox) -> None:
    missing = api.post(f"{WS}/projects")
    assert missing.status_code == 400
    assert missing.json()["message"].startswith(
        "Required request body is missing: public com.clockify.adapter.http.v1.dto."
        "ProjectDtoImplV1 com.clockify.adapter.http.v1.project.ProjectHttpAdapter.create("
    )
    malformed = api.post(
        f"{WS}/projects", content=b'{"name": ', headers={"Content-Type": "application/json"}
    )
    assert malformed.status_code == 400
    assert malformed.json()["message"].startswith("JSON parse error")
    array = api.post(f"{WS}/projects", json=["Apollo"])
    assert array.status_code == 400
    assert "ProjectRequest` from Array value" in array.json()["message"]
    assert len(sandbox.projects(DEMO_WORKSPACE_ID)) == 3


def test_a_body_that_is_not_json_is_415(api: httpx.Client, sandbox: Sandbox) -> None:
    for content_type, shown in [
        ("text/plain; charset=UTF-8", "text/plain;charset=UTF-8"),
        ("application/x-www-form-urlencoded", "application/x-www-form-urlencoded"),
        ("Text/XML", "text/xml"),
        (None, "application/octet-stream"),  # Spring's assumption when none is sent
    ]:
        headers = {} if content_type is None else {"Content-Type": content_type}
        created = api.post(f"{WS}/projects", content=b'{"name": "Apollo"}', headers=headers)
        assert error(created) == (415, f"Content-Type '{shown}' is not supported", 3000)
        stop = api.patch(
            f"{WS}/user/{DEMO_USER_ID}/time-entries", content=b"end=now", headers=headers
        )
        assert error(stop) == (415, f"Content-Type '{shown}' is not supported", 3000)
    assert len(sandbox.projects(DEMO_WORKSPACE_ID)) == 3


def test_any_json_content_type_is_read(api: httpx.Client) -> None:
    for n, content_type in enumerate(
        ["application/json;charset=UTF-8", "APPLICATION/JSON", "application/vnd.x+json"]
    ):
        body = json.dumps({"name": f"Apollo {n}"}).encode()
        response = api.post(f"{WS}/projects", content=body, headers={"Content-Type": content_type})
        assert response.status_code == 201


def test_archived_project_stays_archived_in_listing(api: httpx.Client) -> None:
    archived = api.get(f"{WS}/projects/{ARCHIVED_PROJECT_ID}").json()
    assert archived["archived"] is True


# --- clients -----------------------------------------------------------------------------------


def test_clients_list_and_create(api: httpx.Client, sandbox: Sandbox) -> None:
    listed = api.get(f"{WS}/clients")
    assert names(listed) == ["Acme Corp", "Globex", "Initech"]
    assert (listed.headers["Last-Page"], listed.headers["Total-Count"]) == ("true", "3")
    created = api.post(f"{WS}/clients", json={"name": "Umbrella", "email": "a@umbrella.example"})
    assert created.status_code == 201
    client = created.json()
    assert (client["name"], client["email"], client["currencyCode"]) == (
        "Umbrella",
        "a@umbrella.example",
        "USD",
    )
    assert names(api.get(f"{WS}/clients", params={"name": "rell"})) == ["Umbrella"]
    assert [c["id"] for c in sandbox.clients(DEMO_WORKSPACE_ID)] == [
        DEMO_CLIENT_ID,
        GLOBEX_CLIENT_ID,
        ARCHIVED_CLIENT_ID,
        client["id"],
    ]


def test_client_errors(api: httpx.Client) -> None:
    assert error(api.post(f"{WS}/clients", json={})) == (400, "Client name is required", 501)
    duplicate = api.post(f"{WS}/clients", json={"name": "acme corp"})
    assert error(duplicate) == (400, "Client with name 'acme corp' already exists", 501)


def test_requests_are_logged(api: httpx.Client, sandbox: Sandbox) -> None:
    api.get("/user", params={"include-memberships": "true"})
    api.post(f"{WS}/projects", json={})
    log = sandbox.request_log()
    assert [(r.method, r.path, r.query, r.status) for r in log] == [
        ("GET", "/api/v1/user", "include-memberships=true", 200),
        ("POST", f"/api/v1{WS}/projects", "", 400),
    ]
    assert log[0].at == sandbox.now() or log[0].at <= sandbox.now()


def test_head_answers_like_get_without_a_body(api: httpx.Client) -> None:
    response = api.head("/user")
    assert (response.status_code, response.content) == (200, b"")


def test_sample_project_is_seeded(api: httpx.Client) -> None:
    assert api.get(f"{WS}/projects/{SAMPLE_PROJECT_ID}").json()["name"] == "Sample Project"
