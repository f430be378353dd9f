"""`fixtures verify --runner CMD`: every fixture pushed through any process that speaks
the `serve` protocol, against a replayed Clockify on loopback with the fixture's clock, so
that a platform's own wiring is proven with the pack's contract."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

DATA = Path(__file__).parent / "data"
ACTIONS = Path(__file__).resolve().parents[1] / "actions"
SERVE = f"{shlex.quote(sys.executable)} -m clockify_actions serve"


def _verify(*arguments: str) -> tuple[int, dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-m", "clockify_actions", "fixtures", "verify", *arguments],
        capture_output=True,
        timeout=600,
    )
    return done.returncode, json.loads(done.stdout)


@pytest.mark.slow
def test_every_fixture_passes_through_clockify_actions_serve() -> None:
    code, result = _verify("--runner", SERVE)
    assert (code, result["status"], result["failed"]) == (0, "success", 0), result
    # Only the fixtures about the connection itself (another region's roots), which the
    # replay on loopback stands in for, are left out.
    fixtures = [yaml.safe_load(path.read_text()) for path in ACTIONS.glob("*/fixtures/*.yaml")]
    own_connection = sum(1 for fixture in fixtures if fixture.get("connection"))
    assert (result["passed"], result["skipped"]) == (len(fixtures) - own_connection, own_connection)


def test_a_list_recorded_page_by_page_is_replayed_with_its_page_size() -> None:
    code, result = _verify("--runner", SERVE, "--action", "list_projects")
    assert (code, result["status"], result["failed"], result["skipped"]) == (0, "success", 0, 0)


def test_one_actions_fixtures_pass_through_the_runner() -> None:
    code, result = _verify("--runner", SERVE, "--action", "create_tag")
    assert (code, result["status"], result["failed"]) == (0, "success", 0), result
    assert result["passed"] >= 3


def test_a_runner_that_drops_details_fails_the_fixtures_that_need_them() -> None:
    runner = f"{shlex.quote(sys.executable)} {shlex.quote(str(DATA / 'runner_without_details.py'))}"
    code, result = _verify("--runner", runner, "--action", "create_tag")
    assert code == 8
    assert result["error"]["type"] == "contract_error"
    counts, *failures = result["error"]["details"]
    assert counts["failed"] >= 1 and counts["passed"] >= 1  # its successes still pass
    assert all("error.details" in failure["reason"] for failure in failures), failures


def test_a_runner_that_cannot_start_is_a_config_error() -> None:
    code, result = _verify("--runner", "/nonexistent/runner", "--action", "create_tag")
    assert (code, result["error"]["type"]) == (2, "config_error")
