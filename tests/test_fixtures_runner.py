"""`fixtures verify --runner CMD`: every fixture pushed through any process that speaks
the `serve` protocol, against a replayed Clockify on loopback with the fixture's clock, so
that a platform's own wiring is proven with the pack's contract; a fixture about the
connection (another region) at the recorded host itself, through a loopback proxy."""

from __future__ import annotations

import json
import os
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
REGION_CASE = "list_workspaces/eu_region"


def _verify(*arguments: str, env: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-m", "clockify_actions", "fixtures", "verify", *arguments],
        capture_output=True,
        timeout=600,
        env=env,
    )
    return done.returncode, json.loads(done.stdout)


def _failures(result: dict[str, Any]) -> dict[str, str]:
    assert result["status"] == "error", result
    _counts, *failures = result["error"]["details"]
    return {failure["case"]: failure["reason"] for failure in failures}


@pytest.mark.slow
def test_every_fixture_passes_through_clockify_actions_serve() -> None:
    code, result = _verify("--runner", SERVE)
    assert (code, result["status"], result["failed"]) == (0, "success", 0), result
    # The fixtures about the connection itself (another region's roots) among them.
    fixtures = [yaml.safe_load(path.read_text()) for path in ACTIONS.glob("*/fixtures/*.yaml")]
    assert any(fixture.get("connection") for fixture in fixtures)
    assert (result["passed"], result["skipped"]) == (len(fixtures), 0)


def _workspace_fixtures() -> int:
    return len(list((ACTIONS / "list_workspaces" / "fixtures").glob("*.yaml")))


def test_a_region_fixture_passes_through_a_worker_that_chooses_the_regions_root() -> None:
    code, result = _verify("--runner", SERVE, "--action", "list_workspaces")
    assert (code, result["status"], result["skipped"]) == (0, "success", 0), result
    assert result["passed"] == _workspace_fixtures()


def test_a_region_fixture_passes_through_the_http_worker(tmp_path: Path) -> None:
    log = tmp_path / "statuses"
    bridge = f"{shlex.quote(sys.executable)} {shlex.quote(str(DATA / 'http_bridge.py'))}"
    code, result = _verify(
        "--runner",
        bridge,
        "--action",
        "list_workspaces",
        env={**os.environ, "HTTP_BRIDGE_STATUS_LOG": str(log)},
    )
    assert (code, result["status"], result["skipped"]) == (0, "success", 0), result
    assert f"{REGION_CASE} 200 success" in log.read_text().splitlines()


@pytest.mark.parametrize(
    "wrapper",
    [
        # A wrapper that drops the region: the worker goes to the global root.
        "env -u CLOCKIFY_REGION {serve}",
        # A wrapper that pins a root when none is given: the region is never read.
        "sh -c 'CLOCKIFY_BASE_URL=${{CLOCKIFY_BASE_URL:-https://api.clockify.me/api/v1}} exec {serve}'",
    ],
    ids=["region dropped", "base URL pinned"],
)
def test_a_runner_whose_worker_ignores_the_region_fails_the_region_fixture(wrapper: str) -> None:
    code, result = _verify("--runner", wrapper.format(serve=SERVE), "--action", "list_workspaces")
    assert code == 8
    failures = _failures(result)
    assert list(failures) == [REGION_CASE]  # the runner's other fixtures still pass
    assert (
        "not in the cassette: GET https://api.clockify.me/api/v1/workspaces"
        in (failures[REGION_CASE])
    )


def test_a_runner_that_does_not_trust_the_runs_authority_fails_the_region_fixture() -> None:
    """The replay at the region's host is real TLS: a worker that verifies it against
    other certificates (here the public ones) reaches nothing."""
    import certifi

    runner = f"env SSL_CERT_FILE={shlex.quote(certifi.where())} {SERVE}"
    code, result = _verify("--runner", runner, "--action", "list_workspaces")
    assert code == 8
    failures = _failures(result)
    assert list(failures) == [REGION_CASE]
    assert "the TLS handshake failed" in failures[REGION_CASE]


def test_without_trustme_the_region_fixture_fails_naming_the_extra() -> None:
    code = (
        "import sys\n"
        "sys.modules['trustme'] = None\n"
        "from clockify_actions.adapters.cli import main\n"
        f"sys.exit(main(['fixtures', 'verify', '--runner', {SERVE!r}, '--action', 'list_workspaces']))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert done.returncode == 8
    result = json.loads(done.stdout)
    failures = _failures(result)
    assert list(failures) == [REGION_CASE]
    assert "clockify-actions[verify]" in failures[REGION_CASE]
    assert result["error"]["details"][0]["skipped"] == 0


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
