"""The contract fixtures: every action's recorded exchanges replay to the expected outcome."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from clockify_actions import load_pack
from clockify_actions.contract import (
    CASSETTES_FOLDER,
    FIXTURES_FOLDER,
    Fixture,
    case_id,
    check,
    credentials_in,
    fixture_paths,
)
from clockify_actions.sandbox import (
    COLLEAGUE_API_KEY,
    DEMO_ADDON_TOKEN,
    DEMO_API_KEY,
    OTHER_API_KEY,
)

PACK = load_pack()
PATHS = fixture_paths(PACK)
CASSETTES = sorted(
    path
    for action in PACK.actions.values()
    for path in (action.folder / FIXTURES_FOLDER / CASSETTES_FOLDER).glob("*.yaml")
)


@pytest.mark.parametrize("path", PATHS, ids=[case_id(path) for path in PATHS])
def test_fixture_replays_to_its_expected_outcome(
    path: Path, network_attempts: list[object]
) -> None:
    result = check(PACK, path)
    assert result.passed, "\n".join(result.problems)
    assert result.envelope is not None
    if result.envelope["status"] == "success":
        action = PACK.actions[result.case.split("/")[0]]
        assert not list(action.response_validator.iter_errors(result.envelope))
    assert network_attempts == []


@pytest.mark.parametrize("name", list(PACK.actions))
def test_every_action_has_success_error_bad_key_and_real_world_fixtures(name: str) -> None:
    fixtures = [Fixture.load(PACK, path) for path in fixture_paths(PACK, name)]
    errors = [f.expect["error"] for f in fixtures if "error" in f.expect]
    assert any("output" in f.expect for f in fixtures), "no success fixture"
    assert any(
        (e["type"], e.get("http_status"), e.get("clockify_code")) == ("auth_error", 401, 4003)
        for e in errors
    ), "no bad-API-key fixture"
    assert any(e["type"] != "auth_error" for e in errors), "no error fixture beyond the key"
    assert any(f.hand_written for f in fixtures), "no fixture on a real Clockify answer"


def test_every_cassette_belongs_to_a_fixture() -> None:
    fixtures = {path.with_suffix("") for path in PATHS}
    orphans = [c for c in CASSETTES if c.parents[1] / c.stem not in fixtures]
    assert orphans == []


@pytest.mark.parametrize(
    "cassette", CASSETTES, ids=[f"{c.parents[2].name}/{c.stem}" for c in CASSETTES]
)
def test_no_cassette_holds_a_credential(cassette: Path) -> None:
    known = [
        DEMO_API_KEY,
        OTHER_API_KEY,
        DEMO_ADDON_TOKEN,
        COLLEAGUE_API_KEY,
        os.environ.get("CLOCKIFY_API_KEY"),
    ]
    assert credentials_in(cassette.read_text(encoding="utf-8"), known) == []


def test_a_cassette_that_lost_an_exchange_fails_even_when_the_outcome_would_not(
    pack_copy: Path,
) -> None:
    # The 429 before the success changes nothing in the output; only `exchanges` sees it go.
    cassette = pack_copy / "actions/get_current_user/fixtures/cassettes/rate_limited_then_read.yaml"
    document = yaml.safe_load(cassette.read_text())
    assert document["interactions"][0]["response"]["status"]["code"] == 429
    del document["interactions"][0]
    cassette.write_text(yaml.safe_dump(document))
    pack = load_pack(pack_copy)
    result = check(
        pack, pack_copy / "actions/get_current_user/fixtures/rate_limited_then_read.yaml"
    )
    assert not result.passed
    assert "the fixture expects ['GET 429', 'GET 200']" in result.problems[0]


@pytest.mark.parametrize(
    "leak",
    [
        "      x-auth-token: [Zq8vW2pL9xR4Tn6B]",
        "      note: a 16-character key Zq8vW2pL9xR4Tn6B pasted into a body",
        "      note: 'Authorization: Bearer abc.def'",
        "      link: https://api.clockify.me/api/v1/user?api_key=abcdef",
    ],
    ids=["token-header", "short-key", "bearer", "query"],
)
def test_credential_scan_flags_what_a_pasted_cassette_could_hold(leak: str) -> None:
    clean = "interactions:\n- request:\n    headers:\n      x-api-key: ['[redacted]']\n"
    assert credentials_in(clean) == []
    assert credentials_in(clean + leak.replace("      ", "    ", 1) + "\n") != []
