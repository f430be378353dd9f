"""Names the pack calls equal are one item: find-or-create runs given the same name in
any spacing, letter case or Unicode form end with one item and one id, on the sandbox
(whose names compare as Clockify's do) and against a Clockify that refuses a duplicate
in another language."""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from clockify_actions import Pack
from clockify_actions.clockify import ClientSettings, RetrySettings
from clockify_actions.resources.common.lookup import SAME_NAME, name_key
from clockify_actions.sandbox import DEMO_API_KEY, DEMO_WORKSPACE_ID, SAMPLE_PROJECT_ID, Sandbox
from conftest import Run
from fake_clockify import CLIENT, WS, FakeClockify

SANDBOX_FAST = ClientSettings(requests_per_second=None, retry=RetrySettings(max_attempts=1))
API = "https://api.clockify.me/api/v1"
TASKS = f"/workspaces/{DEMO_WORKSPACE_ID}/projects/{SAMPLE_PROJECT_ID}/tasks"

# Each find-or-create action, the parameters beside `name`, and the list its items are in.
RESOURCES = {
    "client": ("find_or_create_client", {}, f"/workspaces/{DEMO_WORKSPACE_ID}/clients"),
    "tag": ("find_or_create_tag", {}, f"/workspaces/{DEMO_WORKSPACE_ID}/tags"),
    "project": ("find_or_create_project", {}, f"/workspaces/{DEMO_WORKSPACE_ID}/projects"),
    "task": ("find_or_create_task", {"project_id": SAMPLE_PROJECT_ID}, TASKS),
}
# One name, as six people might type it.
RACE_NAMES = [
    "Race Gamma",
    " Race Gamma",
    "Race  Gamma",
    "Race\tGamma",
    "race gamma",
    "RACE GAMMA ",
]


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as opened:
        yield opened


def _api(sandbox: Sandbox) -> httpx.Client:
    return httpx.Client(
        transport=sandbox.transport(), base_url=API, headers={"X-Api-Key": DEMO_API_KEY}
    )


def _items_named(sandbox: Sandbox, listed: str, name: str) -> list[dict[str, Any]]:
    with _api(sandbox) as api:
        items: list[dict[str, Any]] = api.get(listed, params={"page-size": 5000}).json()
    return [item for item in items if name_key(item["name"]) == name_key(name)]


class _MeetAfterLookUp(httpx.BaseTransport):
    """Holds each run after its first look-up until every run has looked up, so that all
    have seen "no such item" before any creates it: the race, every time."""

    def __init__(self, inner: httpx.BaseTransport, meeting: threading.Barrier) -> None:
        self._inner, self._meeting, self._met = inner, meeting, False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        if request.method == "GET" and not self._met:
            self._met = True
            response.read()
            self._meeting.wait(timeout=300)
        return response


@pytest.mark.parametrize("resource", RESOURCES)
def test_six_racing_runs_given_one_name_in_six_spellings_end_with_one_item(
    pack: Pack, sandbox: Sandbox, resource: str
) -> None:
    action, params, listed = RESOURCES[resource]
    meeting = threading.Barrier(len(RACE_NAMES))

    def run(name: str) -> dict[str, Any]:
        return pack.run(
            action,
            {"workspace_id": DEMO_WORKSPACE_ID, **params, "name": name},
            api_key=DEMO_API_KEY,
            transport=_MeetAfterLookUp(sandbox.transport(), meeting),
            settings=SANDBOX_FAST,
        )

    with ThreadPoolExecutor(len(RACE_NAMES)) as pool:
        results = list(pool.map(run, RACE_NAMES))
    assert [r["status"] for r in results] == ["success"] * len(RACE_NAMES), results
    assert len({r["id"] for r in results}) == 1, results
    assert [r["created"] for r in results].count(True) == 1
    items = _items_named(sandbox, listed, "Race Gamma")
    assert [item["id"] for item in items] == [results[0]["id"]]
    # The one item has the name in the form the pack sends: trimmed, one space.
    assert items[0]["name"].casefold() == "race gamma"


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_name_in_either_unicode_form_is_the_item_made_from_the_other(
    pack: Pack, sandbox: Sandbox, resource: str
) -> None:
    action, params, listed = RESOURCES[resource]
    composed = unicodedata.normalize("NFC", "Café Crème")
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed

    def run(name: str) -> dict[str, Any]:
        return pack.run(
            action,
            {"workspace_id": DEMO_WORKSPACE_ID, **params, "name": name},
            api_key=DEMO_API_KEY,
            transport=sandbox.transport(),
            settings=SANDBOX_FAST,
        )

    first, second = run(decomposed), run(composed)
    assert (first["status"], first["created"]) == ("success", True), first
    assert (second["status"], second["created"], second["id"]) == ("success", False, first["id"])
    assert [item["id"] for item in _items_named(sandbox, listed, composed)] == [first["id"]]
    assert first["name"] == composed  # created in the composed form (NFC)


@pytest.mark.parametrize("resource", RESOURCES)
def test_the_sandbox_compares_accented_names_ignoring_case_as_clockify_does(
    sandbox: Sandbox, resource: str
) -> None:
    _, _, listed = RESOURCES[resource]
    with _api(sandbox) as api:
        assert api.post(listed, json={"name": "Été Ölfeld"}).status_code == 201
        refused = api.post(listed, json={"name": "été ölfeld"})
        assert (refused.status_code, refused.json()["code"]) == (400, 501)
        found = api.get(listed, params={"name": "été ölfeld"}).json()
        assert [item["name"] for item in found] == ["Été Ölfeld"]
        if resource != "client":  # clients have no whole-name search (§15.1)
            strict = {"name": "ÉTÉ ÖLFELD", "strict-name-search": "true"}
            assert [item["name"] for item in api.get(listed, params=strict).json()] == [
                "Été Ölfeld"
            ]


# Clockify words a duplicate in the account's language (docs/clockify-api.md §1.3); the
# status and code stay 400 and 501. These texts are illustrations, not recorded answers.
LOCALISED_DUPLICATES = {
    "German": "Kunde mit dem Namen 'Acme' existiert bereits",
    "French": "Un client portant le nom 'Acme' existe déjà",
    "Portuguese": "Cliente com o nome 'Acme' já existe",
}


@pytest.mark.parametrize("language", LOCALISED_DUPLICATES)
def test_a_lost_race_refused_in_another_language_returns_the_winner(
    run: Run, clockify: FakeClockify, language: str
) -> None:
    winner = {"id": CLIENT, "name": "Acme", "archived": False, "workspaceId": WS}
    refusal = {"message": LOCALISED_DUPLICATES[language], "code": 501}
    clockify.answer("GET", f"/workspaces/{WS}/clients", body=[])
    clockify.answer("POST", f"/workspaces/{WS}/clients", status=400, body=refusal)
    clockify.answer("GET", f"/workspaces/{WS}/clients", body=[winner])
    result = run("find_or_create_client", {"workspace_id": WS, "name": "Acme"})
    assert result["status"] == "success", result
    assert (result["id"], result["created"]) == (CLIENT, False)


def test_a_refusal_in_another_language_that_is_no_duplicate_is_reported_as_it_came(
    run: Run, clockify: FakeClockify
) -> None:
    refusal = {"message": "Der Name ist zu lang", "code": 501}
    clockify.answer("GET", f"/workspaces/{WS}/tags", body=[])
    clockify.answer("POST", f"/workspaces/{WS}/tags", status=400, body=refusal)
    clockify.answer("GET", f"/workspaces/{WS}/tags", body=[])
    result = run("find_or_create_tag", {"workspace_id": WS, "name": "Acme"})
    assert result["error"]["type"] == "rejected"
    assert result["error"]["message"] == "Der Name ist zu lang."
    assert result["error"]["details"] == [{"attempts": 1, "outcome": "not_applied"}]
    assert [sent.method for sent in clockify.sent] == ["GET", "POST", "GET"]


def test_an_unknown_client_is_not_looked_up_again_as_a_taken_name(
    run: Run, clockify: FakeClockify
) -> None:
    refusal = {"message": "Client doesn't belong to Workspace", "code": 501}
    clockify.answer("GET", f"/workspaces/{WS}/projects", body=[])
    clockify.answer("POST", f"/workspaces/{WS}/projects", status=400, body=refusal)
    params = {"workspace_id": WS, "name": "Launch", "client_id": CLIENT}
    result = run("find_or_create_project", params)
    assert result["error"]["type"] == "not_found"
    assert [sent.method for sent in clockify.sent] == ["GET", "POST"]


def test_every_find_action_says_what_the_same_name_means(pack: Pack) -> None:
    finders = [name for name in pack.actions if name.startswith("find_")]
    assert len(finders) >= 8
    for name in finders:
        description = " ".join(pack.describe(name)["description"].split())
        assert SAME_NAME in description, name
        if name.startswith("find_or_create_"):
            assert "in whatever language the account uses" in description, name


def test_a_member_is_found_by_the_same_name_typed_with_extra_spaces(
    pack: Pack, sandbox: Sandbox
) -> None:
    result = pack.run(
        "find_user",
        {"workspace_id": DEMO_WORKSPACE_ID, "name": " sam \t Colleague"},
        api_key=DEMO_API_KEY,
        transport=sandbox.transport(),
        settings=SANDBOX_FAST,
    )
    assert (result["status"], result["name"]) == ("success", "Sam Colleague"), result
