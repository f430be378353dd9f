"""The CLI at its edges: closed output, ambiguous input, --version and --help."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import clockify_actions
from clockify_actions.output import OUTPUT_LOST_EXIT_CODE
from fake_clockify import WS

KEY = "edge-secret-Rt5yU8iO2p"
COMMAND = [sys.executable, "-m", "clockify_actions"]


def _environment(**extra: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLOCKIFY_")}
    return {**environment, **extra}


def _no_traceback(stderr: bytes) -> None:
    text = stderr.decode()
    assert "Traceback" not in text and "Exception ignored" not in text, text
    assert "BrokenPipeError" not in text, text


def test_serve_whose_reader_stops_after_one_answer_stops_without_a_traceback(
    tmp_path: Path,
) -> None:
    requests = tmp_path / "requests.jsonl"
    requests.write_bytes(
        b"".join(b'{"id": %d, "action": "no_such_action"}\n' % i for i in range(5000))
    )
    with requests.open("rb") as stdin:
        worker = subprocess.Popen(
            [*COMMAND, "serve"],
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_environment(CLOCKIFY_API_KEY=KEY),
        )
        assert worker.stdout is not None and worker.stderr is not None
        first = json.loads(worker.stdout.readline())  # `| head -1`
        worker.stdout.close()
        stderr = worker.stderr.read()
        code = worker.wait(timeout=60)
    assert first["id"] == 0
    _no_traceback(stderr)
    # The answers after the first were lost: not a success.
    assert code == OUTPUT_LOST_EXIT_CODE


@pytest.mark.parametrize(
    "args", [["run", "list_workspaces", "--dry-run"], ["run", "no_such_action"], ["list"]]
)
def test_run_whose_stdout_is_gone_exits_quietly_with_the_lost_output_code(
    args: list[str],
) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # the reader has gone before anything is written
    try:
        result = subprocess.run(
            [*COMMAND, *args],
            stdin=subprocess.DEVNULL,
            stdout=writer,
            stderr=subprocess.PIPE,
            env=_environment(CLOCKIFY_API_KEY=KEY),
            timeout=60,
        )
    finally:
        os.close(writer)
    _no_traceback(result.stderr)
    assert result.returncode == OUTPUT_LOST_EXIT_CODE


def test_run_with_stdout_closed_runs_nothing_and_exits_quietly() -> None:
    result = subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", *COMMAND, "run", "list_workspaces", "--dry-run"],
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=_environment(),
        timeout=60,
    )
    _no_traceback(result.stderr)
    assert result.returncode == OUTPUT_LOST_EXIT_CODE


def _cli(*args: str, stdin: bytes | None = None) -> tuple[int, bytes, str]:
    result = subprocess.run(
        [*COMMAND, *args],
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        env=_environment(),
        timeout=60,
    )
    return result.returncode, result.stdout, result.stderr.decode()


def _one_document(stdout: bytes) -> Any:
    text = stdout.decode()
    assert text.count("\n") == 1 and text.endswith("\n"), f"one JSON line expected: {text!r}"
    return json.loads(text)


def test_param_with_piped_input_is_a_usage_error_not_a_silent_choice() -> None:
    code, stdout, stderr = _cli(
        "run",
        "list_projects",
        "--param",
        f"workspace_id={WS}",
        "--dry-run",
        stdin=json.dumps({"workspace_id": WS, "archived": True}).encode(),
    )
    document = _one_document(stdout)
    assert code == 2
    assert document["error"]["type"] == "validation_error"
    assert "--param" in document["error"]["message"]
    assert "stdin" in document["error"]["message"]
    assert "--param" in stderr


@pytest.mark.parametrize("stdin", [b"", b"\n"])
def test_param_with_empty_piped_input_runs(stdin: bytes) -> None:
    code, stdout, _ = _cli(
        "run", "list_projects", "--param", f"workspace_id={WS}", "--dry-run", stdin=stdin
    )
    assert code == 0
    assert _one_document(stdout)["status"] == "dry_run"


def test_version_is_one_json_document() -> None:
    code, stdout, stderr = _cli("--version")
    assert code == 0
    assert _one_document(stdout) == {
        "name": "clockify-actions",
        "version": clockify_actions.__version__,
    }
    assert stderr == ""


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["-h"],
        ["run", "--help"],
        ["serve", "--help"],
        ["fixtures", "verify", "-h"],
        ["sandbox", "--help"],
        ["sandbox", "fault", "add", "-h"],
    ],
)
def test_help_is_for_people_on_stderr_once_and_stdout_stays_empty(args: list[str]) -> None:
    code, stdout, stderr = _cli(*args)
    assert code == 0
    assert stdout == b""
    assert stderr.startswith("usage: clockify-actions")
    assert stderr.count("usage:") == 1
