"""`clockify-actions sandbox ...`: JSON on stdout, prose on stderr, state in the --db file."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from clockify_actions.sandbox import DB_ENV_VAR, DEMO_API_KEY, FAULTS_ENV_VAR, Fault, Sandbox
from clockify_actions.sandbox.cli import main

from .sandbox_testkit import ROOT, SpecChecker, checked_client


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, object]:
    code = main(list(argv))
    out = capsys.readouterr().out
    return code, json.loads(out) if out else None


def test_configure_and_clock(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "db")
    code, shown = run(capsys, "configure", "--db", db, "--auto-stop", "off", "--rate-limit", "free")
    assert code == 0
    assert shown == {"now": shown["now"], "frozen": False, "auto_stop": False, "rate_limit": "free"}  # type: ignore[index]
    assert run(capsys, "clock", "set", "2025-01-31T09:00:00+01:00", "--db", db)[1] == {
        "now": "2025-01-31T08:00:00Z",
        "frozen": True,
        "auto_stop": False,
        "rate_limit": "free",
    }
    with Sandbox.open(db) as sandbox:
        config = sandbox.configure()
        assert (config.auto_stop, config.rate_limit) == (False, "free")
        assert sandbox.now().isoformat() == "2025-01-31T08:00:00+00:00"
    code, shown = run(capsys, "clock", "clear", "--db", db)
    assert shown["frozen"] is False  # type: ignore[index]


def test_fault_commands(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "db")
    code, _ = run(
        capsys,
        "fault",
        "add",
        "--db",
        db,
        "--action",
        "status",
        "--status",
        "429",
        "--when",
        "before",
        "--method",
        "POST",
        "--path",
        "/workspaces/*/projects",
        "--times",
        "0",
    )
    assert code == 0
    rule = {"action": "timeout", "when": "after", "seconds": 2}
    run(capsys, "fault", "add", "--db", db, "--json", json.dumps(rule))
    code, listed = run(capsys, "fault", "list", "--db", db)
    assert listed == {
        "faults": [
            {
                "action": "status",
                "when": "before",
                "method": "POST",
                "path": "/workspaces/*/projects",
                "times": None,
                "status": 429,
            },
            {
                "action": "timeout",
                "when": "after",
                "method": "*",
                "path": "**",
                "times": 1,
                "seconds": 2,
            },
        ]
    }
    with Sandbox.open(db) as sandbox:
        assert sandbox.faults()[1] == Fault(action="timeout", when="after", seconds=2)
    assert run(capsys, "fault", "clear", "--db", db) == (0, {"cleared": 2})


def test_reset_uses_the_environments_db(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DB_ENV_VAR, str(tmp_path / "from-env.sqlite3"))
    assert run(capsys, "reset") == (0, {"reset": True, "db": str(tmp_path / "from-env.sqlite3")})


@pytest.mark.parametrize(
    "argv",
    [
        ["fault", "add", "--action", "status", "--when", "before"],  # no status
        ["fault", "add", "--json", "{"],
        ["clock", "set", "noon"],
        ["configure", "--rate-limit", "unlimited"],
        [],
    ],
)
def test_usage_mistakes_are_prose_on_stderr_and_one_json_envelope_on_stdout(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str]
) -> None:
    code = main([*argv, "--db", str(tmp_path / "db")] if argv else argv)
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err
    document = json.loads(captured.out)  # the pack's error envelope, as `run` answers
    assert document["status"] == "error"
    assert document["error"]["type"] == "validation_error"


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["-h"], ["reset", "--help"], ["fault", "add", "--help"], ["clock", "set", "-h"]],
)
def test_help_is_for_people_on_stderr_once_and_stdout_stays_empty(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 0
    assert captured.out == ""
    assert captured.err.startswith("usage: clockify-actions sandbox")
    assert captured.err.count("usage:") == 1


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_serve_prints_one_json_line_and_stops_cleanly(
    tmp_path: Path, spec_checker: SpecChecker | None, stop: signal.Signals
) -> None:
    db = tmp_path / "served.sqlite3"
    server = subprocess.Popen(
        [sys.executable, "-m", "clockify_actions.sandbox.cli", "serve", "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    try:
        assert server.stdout is not None
        announced = json.loads(server.stdout.readline())
        assert announced["api_key"] == DEMO_API_KEY and announced["db"] == str(db)
        assert announced["base_url"].startswith("http://127.0.0.1:")
        assert announced["reports_base_url"] == announced["base_url"].replace(
            "/api/v1", "/report/v1"
        )
        with checked_client(spec_checker, headers={"X-Api-Key": DEMO_API_KEY}) as client:
            assert client.get(f"{announced['base_url']}/user").status_code == 200
            workspace = client.get(f"{announced['base_url']}/user").json()["activeWorkspace"]
        # The reports host answers on its own root (the spec check knows only the API host's).
        with httpx.Client(headers={"X-Api-Key": DEMO_API_KEY}) as client:
            report = client.post(
                f"{announced['reports_base_url']}/workspaces/{workspace}/reports/detailed",
                json={
                    "dateRangeStart": "2024-01-01T00:00:00Z",
                    "dateRangeEnd": "2024-01-31T23:59:59Z",
                    "detailedFilter": {},
                },
            )
            assert report.status_code == 200 and report.json()["timeentries"]
    finally:
        server.send_signal(stop)
        out, err = server.communicate(timeout=10)
    assert server.returncode == 0, err
    assert out == ""  # nothing after the announcement
    assert "GET /api/v1/user" in err
    assert "Traceback" not in err


def test_bad_rules_in_the_environment_are_a_config_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(FAULTS_ENV_VAR, '[{"action": "drop"}]')
    assert main(["reset", "--db", str(tmp_path / "db")]) == 2
    captured = capsys.readouterr()
    assert "needs action and when" in captured.err
    error = json.loads(captured.out)["error"]
    assert error["type"] == "config_error" and "needs action and when" in error["message"]


def error_envelope(out: str) -> dict[str, Any]:
    """The pack's error envelope, as `clockify-actions run` prints it."""
    document: dict[str, Any] = json.loads(out)
    assert document["status"] == "error", document
    assert set(document["error"]) == {
        "type",
        "message",
        "retryable",
        "http_status",
        "clockify_code",
        "details",
    }
    return document


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


CLI_ERRORS = {
    "port-out-of-range": (["serve", "--port", "99999"], "validation_error"),
    "port-negative": (["serve", "--port", "-1"], "validation_error"),
    "deeply-nested-rules": (["fault", "add", "--json", _deep(100_000)], "validation_error"),
}


@pytest.mark.parametrize("argv, kind", CLI_ERRORS.values(), ids=CLI_ERRORS.keys())
def test_sandbox_errors_use_the_packs_envelope(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], kind: str
) -> None:
    code = main([*argv, "--db", str(tmp_path / "db")])
    captured = capsys.readouterr()
    assert (code, error_envelope(captured.out)["error"]["type"]) == (2, kind)
    assert len(captured.out.splitlines()) == 1
    assert captured.err and "Traceback" not in captured.err


def test_deeply_nested_rules_in_the_environment_are_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLOCKIFY_SANDBOX_FAULTS", _deep(100_000))
    assert main(["fault", "list", "--db", str(tmp_path / "db")]) == 2
    assert error_envelope(capsys.readouterr().out)["error"]["type"] == "config_error"


def test_serve_on_a_port_in_use_is_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["serve", "--port", str(port), "--db", str(tmp_path / "db")])
    captured = capsys.readouterr()
    error = error_envelope(captured.out)["error"]
    assert (code, error["type"]) == (2, "config_error")
    assert str(port) in error["message"]
