"""The API key never leaves the process: not whole, not in part, on any path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from clockify_actions import load_pack
from clockify_actions.runtime import Action
from clockify_actions.sandbox import DEMO_USER_ID, Sandbox

KEY = "Zx9Qw7Lk3Vb5Np1Rt8Ys2HdGm"
SLICES = {KEY[i : i + 6] for i in range(len(KEY) - 5)}

# What makes a fixture's outcome depend on more than its input and the seeded sandbox.
_NOT_PLAIN = {"faults", "api_key", "connection", "settings"}


def _sandbox_input(action: Action) -> dict[str, Any]:
    """The input of the action's first fixture recorded on the sandbox that expects a
    success with the plain connection: one that succeeds on a freshly seeded sandbox."""
    for path in sorted((action.folder / "fixtures").glob("*.yaml")):
        fixture = yaml.safe_load(path.read_text(encoding="utf-8"))
        recorded_on_sandbox = fixture.get("recorded", "sandbox") == "sandbox"
        if recorded_on_sandbox and "output" in fixture["expect"] and not _NOT_PLAIN & set(fixture):
            inputs: dict[str, Any] = fixture["input"]
            return inputs
    raise AssertionError(f"{action.name} has no fixture that succeeds on the sandbox")


# Every action, in the manifest's order, on one sandbox: a fixture's `setup` is not sent,
# so an action that needs a prior state (a stop needs a running timer) relies on an
# earlier action (the start) having made it, as a user's session would.
INPUTS = {name: _sandbox_input(action) for name, action in load_pack().actions.items()}


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
