"""scripts/record_fixtures.py: re-recording reproduces the committed cassettes, a drift is
caught, and a live recording goes through a real socket without keeping the key."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from clockify_actions import load_pack
from clockify_actions.contract import credentials_in, verify
from clockify_actions.sandbox import DEMO_API_KEY, Sandbox

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "record_fixtures.py"


def _record(*args: str, key: str | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLOCKIFY_")}
    if key is not None:
        environment["CLOCKIFY_API_KEY"] = key
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
    )


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


@pytest.mark.slow
def test_re_recording_every_cassette_changes_no_file(pack_copy: Path) -> None:
    before = _files(pack_copy / "actions")
    result = _record("--root", str(pack_copy))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "replays as expected" in result.stdout
    assert "hand-written" not in result.stdout
    assert _files(pack_copy / "actions") == before


def test_check_reports_a_cassette_that_re_recording_would_change(pack_copy: Path) -> None:
    cassette = pack_copy / "actions/list_projects/fixtures/cassettes/archived_only.yaml"
    tampered = cassette.read_text().replace("Archived Project", "Edited By Hand")
    cassette.write_text(tampered)
    result = _record("--root", str(pack_copy), "--check", "--action", "list_projects")
    assert result.returncode == 1
    assert "list_projects/archived_only: re-recording changes the cassette" in result.stdout
    assert "+      name: Archived Project" in result.stdout
    assert cassette.read_text() == tampered


@pytest.fixture
def served_sandbox(tmp_path: Path) -> Iterator[str]:
    with Sandbox.open(tmp_path / "live.sqlite3") as sandbox:
        yield sandbox.serve().base_url


def test_live_recording_goes_through_a_socket_and_keeps_no_key(
    pack_copy: Path, served_sandbox: str
) -> None:
    # The sandbox served over HTTP stands in for Clockify: the live path sends through the
    # client's own transport, so the exchange crosses a real socket.
    workspaces = [
        {"id": "64b7c0de5eed000000000b01", "name": "My Workspace"},
        {"id": "64b7c0de5eed000000000b02", "name": "Second Workspace"},
        {"id": "64b7c0de5eed000000000b03", "name": "Projects Required"},
    ]
    fixture = pack_copy / "actions/list_workspaces/fixtures/live_probe.yaml"
    document = {
        "description": "Recorded live.",
        "recorded": "live",
        "connection": {"base_url": served_sandbox},
        "input": {},
        "expect": {"output": {"status": "success", "count": 3, "workspaces": workspaces}},
        "exchanges": ["GET 200"],
    }
    fixture.write_text(yaml.safe_dump(document))
    result = _record("--root", str(pack_copy), "--live", key=DEMO_API_KEY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "list_workspaces/live_probe: recorded, replays as expected",
        "1 of 1 fixture(s) recorded",
    ]
    text = (fixture.parent / "cassettes" / "live_probe.yaml").read_text()
    assert f"uri: {served_sandbox}/workspaces" in text
    assert DEMO_API_KEY not in text
    assert credentials_in(text, [DEMO_API_KEY]) == []
    assert verify(load_pack(pack_copy), "list_workspaces")["status"] == "success"


def test_live_recording_needs_a_key(pack_copy: Path) -> None:
    result = _record("--root", str(pack_copy), "--live")
    assert result.returncode == 2
    assert "CLOCKIFY_API_KEY" in result.stderr
