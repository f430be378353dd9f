"""Output that does not arrive is a failure, never a success: a poll whose events were not
written whole (a closed pipe, a full disk, a closed stdout) keeps its old state, so that
the next poll delivers the same events; `run`, `serve` and `sandbox` say so on stderr,
without a traceback, and exit with the lost-output code."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable, Generator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from clockify_actions.output import OUTPUT_LOST_EXIT_CODE
from clockify_actions.sandbox import DB_ENV_VAR, DEMO_API_KEY, DEMO_WORKSPACE_ID, Sandbox

START = datetime(2026, 1, 28, 9, tzinfo=UTC)
COMMAND = [sys.executable, "-m", "clockify_actions"]
POLL = ["poll", "new_client", "--sandbox", "--param", f"workspace_id={DEMO_WORKSPACE_ID}"]


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    db = tmp_path / "sandbox.sqlite3"
    with Sandbox.open(db) as sandbox:
        sandbox.set_time(START)
    kept = {k: v for k, v in os.environ.items() if not k.startswith("CLOCKIFY_")}
    return {**kept, DB_ENV_VAR: str(db)}


def _closed_pipe() -> Generator[int, None, None]:
    reader, writer = os.pipe()
    os.close(reader)  # the reader has gone before anything is written
    try:
        yield writer
    finally:
        os.close(writer)


def _full_disk() -> Generator[int, None, None]:
    with open("/dev/full", "wb") as full:
        yield full.fileno()


def _closed_stdout() -> Generator[None, None, None]:
    yield None


OUTPUTS: dict[str, Callable[[], Generator[int | None, None, None]]] = {
    "closed pipe": _closed_pipe,
    "full disk": _full_disk,
    "closed stdout": _closed_stdout,
}


def _run(args: list[str], environment: dict[str, str], how: str, stdin: bytes = b"") -> Any:
    """The command with its stdout broken `how`; its stderr and exit code."""
    maker = OUTPUTS[how]()
    stdout = next(maker)
    command = [*COMMAND, *args]
    if stdout is None:
        command = ["sh", "-c", 'exec "$@" >&-', "sh", *command]
    try:
        return subprocess.run(
            command,
            input=stdin,
            stdout=stdout if stdout is not None else None,
            stderr=subprocess.PIPE,
            env=environment,
            timeout=120,
        )
    finally:
        maker.close()


def _no_traceback(stderr: bytes) -> str:
    text = stderr.decode()
    assert "Traceback" not in text and "Exception ignored" not in text, text
    return text


def _poll(environment: dict[str, str], state: Path) -> tuple[int, dict[str, Any]]:
    result = subprocess.run(
        [*COMMAND, *POLL, "--state", str(state)],
        capture_output=True,
        env=environment,
        timeout=120,
    )
    document: dict[str, Any] = json.loads(result.stdout)
    return result.returncode, document


def _new_client(environment: dict[str, str], name: str) -> str:
    with Sandbox.open(environment[DB_ENV_VAR]) as sandbox:
        sandbox.set_time(START.replace(minute=5))
        with httpx.Client(transport=sandbox.transport(), base_url="http://x/api/v1") as app:
            answer = app.post(
                f"/workspaces/{DEMO_WORKSPACE_ID}/clients",
                json={"name": name},
                headers={"X-Api-Key": DEMO_API_KEY},
            )
        assert answer.status_code == 201, answer.text
        sandbox.set_time(START.replace(minute=6))
        created: str = answer.json()["id"]
        return created


@pytest.mark.parametrize("how", list(OUTPUTS))
def test_a_poll_whose_events_were_not_written_keeps_its_state(
    environment: dict[str, str], tmp_path: Path, how: str
) -> None:
    state = tmp_path / "clients.json"
    assert _poll(environment, state) == (0, {"status": "success", "events": []})
    kept = state.read_bytes()
    client_id = _new_client(environment, f"Lost to a {how}")
    lost = _run([*POLL, "--state", str(state)], environment, how)
    text = _no_traceback(lost.stderr)
    assert lost.returncode == OUTPUT_LOST_EXIT_CODE, text
    assert state.read_bytes() == kept
    # The next poll, from the state that was kept, delivers the same event.
    code, again = _poll(environment, state)
    assert code == 0
    assert [event["event_id"] for event in again["events"]] == [f"NEW_CLIENT:{client_id}"]


@pytest.mark.parametrize("how", list(OUTPUTS))
@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (["run", "list_workspaces", "--sandbox"], b"{}"),
        (["run", "no_such_action", "--sandbox"], b"{}"),
        (["list"], b""),
        (["sandbox", "fault", "list"], b""),
        (["sandbox", "clock", "nonsense"], b""),
        (
            ["serve", "--sandbox"],
            b'{"id": 1, "trigger": "new_client", "input": {"workspace_id": "'
            + DEMO_WORKSPACE_ID.encode()
            + b'"}}\n{"id": 2, "action": "list_workspaces"}\n',
        ),
    ],
)
def test_a_command_whose_output_was_lost_says_so_without_a_traceback(
    environment: dict[str, str], args: list[str], stdin: bytes, how: str
) -> None:
    result = _run(args, environment, how, stdin)
    text = _no_traceback(result.stderr)
    assert result.returncode == OUTPUT_LOST_EXIT_CODE, text
    assert "written" in text or "closed" in text, text


def test_serve_stops_at_the_first_answer_it_cannot_write(
    environment: dict[str, str], tmp_path: Path
) -> None:
    # Every request line polls and writes a line of its own; with the reader gone, the
    # first answer is lost, so no second line is even read.
    lines = b"".join(
        b'{"id": %d, "action": "create_client", "input": {"workspace_id": "%s", "name": "C%d"}}\n'
        % (number, DEMO_WORKSPACE_ID.encode(), number)
        for number in range(3)
    )
    result = _run(["serve", "--sandbox"], environment, "closed pipe", lines)
    text = _no_traceback(result.stderr)
    assert result.returncode == OUTPUT_LOST_EXIT_CODE
    assert "the answer to request 0 could not be written" in text
    with Sandbox.open(environment[DB_ENV_VAR]) as sandbox:
        names = [client["name"] for client in sandbox.clients(DEMO_WORKSPACE_ID)]
    assert "C0" in names and "C1" not in names and "C2" not in names


def test_a_worker_answer_that_cannot_be_written_stops_the_worker_before_the_next_line() -> None:
    from clockify_actions.adapters.worker import AnswerLost, serve
    from clockify_actions.runtime import load_pack

    class Full(io.StringIO):
        """A stream on a full disk."""

        def write(self, text: str) -> int:
            raise OSError(28, "No space left on device")

    first = b'{"id": "poll-1", "action": "no_such_action"}\n'
    second = b'{"id": "poll-2", "action": "no_such_action"}\n'
    lines = io.BytesIO(first + second)
    with pytest.raises(AnswerLost) as raised:
        serve(load_pack(), lines, Full(), {"api_key": DEMO_API_KEY})
    assert raised.value.request_id == "poll-1"
    assert "No space left" in raised.value.reason
    assert lines.read() == second
