"""The API key never leaves the process: not whole, not in part, on any path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from clockify_actions import load_pack
from clockify_actions.sandbox import (
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    SAMPLE_PROJECT_ID,
    SAMPLE_TIME_ENTRY_ID,
    Sandbox,
)

KEY = "Zx9Qw7Lk3Vb5Np1Rt8Ys2HdGm"
SLICES = {KEY[i : i + 6] for i in range(len(KEY) - 5)}

INPUTS: dict[str, dict[str, Any]] = {
    "list_workspaces": {},
    "get_current_user": {},
    "list_projects": {"workspace_id": DEMO_WORKSPACE_ID},
    "create_project": {"workspace_id": DEMO_WORKSPACE_ID, "name": "Leak check"},
    "create_time_entry": {
        "workspace_id": DEMO_WORKSPACE_ID,
        "project_id": SAMPLE_PROJECT_ID,
        "start": "2026-01-28T09:00:00Z",
        "end": "2026-01-28T10:00:00Z",
    },
    "start_timer": {"workspace_id": DEMO_WORKSPACE_ID},
    "stop_timer": {"workspace_id": DEMO_WORKSPACE_ID, "user_id": DEMO_USER_ID},
    "list_time_entries": {"workspace_id": DEMO_WORKSPACE_ID, "hydrated": True},
    "get_time_entry": {"workspace_id": DEMO_WORKSPACE_ID, "time_entry_id": SAMPLE_TIME_ENTRY_ID},
    "get_running_timer": {"workspace_id": DEMO_WORKSPACE_ID},
    "update_time_entry": {
        "workspace_id": DEMO_WORKSPACE_ID,
        "time_entry_id": SAMPLE_TIME_ENTRY_ID,
        "description": "Leak check",
    },
    "delete_time_entry": {"workspace_id": DEMO_WORKSPACE_ID, "time_entry_id": SAMPLE_TIME_ENTRY_ID},
}


def test_inputs_cover_every_action() -> None:
    assert set(INPUTS) == set(load_pack().actions)


def _every(**fault: Any) -> list[dict[str, Any]]:
    return [{"method": "*", "path": "**", "times": None, **fault}]


# Each path: the sandbox's faults for the whole run, and whether the key is known to it.
PATHS: dict[str, tuple[list[dict[str, Any]], bool]] = {
    "success": ([], True),
    "unknown-key": ([], False),
    "forbidden": (_every(action="status", status=403, when="before"), True),
    "refused": (_every(action="status", status=400, when="before"), True),
    "missing": (_every(action="status", status=404, when="before"), True),
    "rate-limited": (_every(action="status", status=429, when="before"), True),
    "server-error": (_every(action="status", status=500, when="before"), True),
    "html-502": (_every(action="status", status=502, when="before", body="html"), True),
    "dropped": (_every(action="drop", when="after"), True),
    "timeout": (_every(action="timeout", when="before"), True),
    "truncated": (_every(action="truncate", when="after"), True),
}


def _requests() -> str:
    lines = []
    for number, (name, params) in enumerate(INPUTS.items()):
        lines.append({"id": number, "action": name, "input": params})
        # The key where a confused caller might put it: in the input itself.
        lines.append(
            {"id": f"{number}-bad", "action": name, "input": {**params, "workspace_id": KEY}}
        )
        lines.append(
            {
                "id": f"{number}-region",
                "action": name,
                "input": params,
                "connection": {"region": KEY},
            }
        )
    return "".join(json.dumps(line) + "\n" for line in lines)


def _environment(tmp_path: Path, faults: list[dict[str, Any]]) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLOCKIFY_")}
    environment.update(
        {
            "LEAK_KEY": KEY,
            "CLOCKIFY_SANDBOX_DB": str(tmp_path / "sandbox.sqlite3"),
            "CLOCKIFY_SANDBOX_FAULTS": json.dumps(faults),
            "CLOCKIFY_RETRY_BASE_DELAY": "0.001",
            "CLOCKIFY_RETRY_MAX_DELAY": "0.002",
        }
    )
    return environment


def _assert_no_leak(text: str) -> None:
    assert KEY not in text
    leaked = sorted(s for s in SLICES if s in text)
    assert not leaked, f"parts of the key appear in the output: {leaked}"


@pytest.mark.parametrize("path", PATHS)
def test_no_part_of_the_key_leaves_the_worker(tmp_path: Path, path: str) -> None:
    faults, key_known = PATHS[path]
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as sandbox:
        if key_known:
            sandbox.set_api_key(DEMO_USER_ID, KEY)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "clockify_actions",
            "serve",
            "--sandbox",
            "--api-key-env",
            "LEAK_KEY",
            "-v",
        ],
        input=_requests(),
        capture_output=True,
        text=True,
        env=_environment(tmp_path, faults),
        timeout=120,
    )
    answers = [json.loads(line)["envelope"] for line in result.stdout.splitlines()]
    assert len(answers) == 3 * len(INPUTS)
    if path == "success":
        assert sum(a["status"] == "success" for a in answers) == len(INPUTS)
    elif path == "truncated":
        # Half of a 204's empty body is all of it: only the delete's answer cannot be cut.
        delete = 3 * list(INPUTS).index("delete_time_entry")
        assert [a["status"] == "success" for a in answers].count(True) == 1
        assert answers[delete]["status"] == "success"
    else:
        assert all(a["status"] == "error" for a in answers)
    assert "INFO" in result.stderr or path == "timeout", "the -v request log was written"
    _assert_no_leak(result.stdout + result.stderr)


@pytest.mark.parametrize("name", INPUTS)
def test_dry_run_and_request_log_hide_the_key(tmp_path: Path, name: str) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "clockify_actions",
            "run",
            name,
            "--dry-run",
            "-v",
            "--api-key-env",
            "LEAK_KEY",
        ],
        input=json.dumps(INPUTS[name]),
        capture_output=True,
        text=True,
        env=_environment(tmp_path, []),
        timeout=60,
    )
    document = json.loads(result.stdout)
    assert document["status"] == "dry_run"
    assert document["requests"][0]["headers"]["x-api-key"] == "[redacted]"
    _assert_no_leak(result.stdout + result.stderr)


def test_key_in_an_exception_is_redacted_from_the_envelope(monkeypatch: pytest.MonkeyPatch) -> None:
    pack = load_pack()
    action = pack.actions["list_workspaces"]

    def broken(params: dict[str, Any], client: Any) -> dict[str, Any]:
        raise RuntimeError(f"request failed with headers {{'X-Api-Key': '{KEY}'}}")

    monkeypatch.setitem(action.__dict__, "handler", broken)
    result = pack.run("list_workspaces", {}, api_key=KEY)
    assert result["error"]["type"] == "internal_error"
    _assert_no_leak(json.dumps(result))
