"""The CLI on the sandbox: state shared across processes, and no write lost under load."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from clockify_actions.sandbox import DEMO_USER_ID, DEMO_WORKSPACE_ID, SAMPLE_PROJECT_ID, Sandbox


def _environment(db: Path) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLOCKIFY_")}
    environment["CLOCKIFY_SANDBOX_DB"] = str(db)
    return environment


def _run(db: Path, *args: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "clockify_actions", "run", *args, "--sandbox"],
        capture_output=True,
        text=True,
        env=_environment(db),
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_timer_started_in_one_process_is_stopped_in_the_next(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.sqlite3"
    ws = f"workspace_id={DEMO_WORKSPACE_ID}"
    started = _run(db, "start_timer", "--param", ws, "--param", "description=Across processes")
    assert started["status"] == "success" and started["end"] is None
    user = _run(db, "get_current_user")
    assert user["id"] == DEMO_USER_ID
    stopped = _run(db, "stop_timer", "--param", ws, "--param", f"user_id={user['id']}")
    assert stopped["status"] == "success"
    assert stopped["id"] == started["id"]
    assert stopped["end"] is not None
    again = _run(db, "stop_timer", "--param", ws, "--param", f"user_id={user['id']}")
    assert again["error"]["type"] == "not_found"


def test_eight_concurrent_processes_writing_25_entries_each_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.sqlite3"
    with Sandbox.open(db) as sandbox:
        before = len(sandbox.time_entries(DEMO_WORKSPACE_ID, DEMO_USER_ID))
    workers = []
    for worker in range(8):
        lines = "".join(
            json.dumps(
                {
                    "id": f"{worker}-{n}",
                    "action": "create_time_entry",
                    "input": {
                        "workspace_id": DEMO_WORKSPACE_ID,
                        "project_id": SAMPLE_PROJECT_ID,
                        "description": f"worker {worker} entry {n}",
                        "start": f"2026-01-{worker + 10:02d}T{n % 24:02d}:00:00Z",
                        "end": f"2026-01-{worker + 10:02d}T{n % 24:02d}:30:00Z",
                    },
                }
            )
            + "\n"
            for n in range(25)
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "clockify_actions", "serve", "--sandbox"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_environment(db),
        )
        workers.append((process, lines))
    answers: list[dict[str, Any]] = []
    for process, lines in workers:
        stdout, stderr = process.communicate(lines, timeout=120)
        assert process.returncode == 0, stderr
        answers += [json.loads(line) for line in stdout.splitlines()]
    requests = {a["id"] for a in answers}
    answers = [a["envelope"] for a in answers]
    assert len(answers) == 200
    assert len(requests) == 200
    failures = [a for a in answers if a["status"] != "success"]
    assert failures == []
    with Sandbox.open(db) as sandbox:
        entries = sandbox.time_entries(DEMO_WORKSPACE_ID, DEMO_USER_ID)
    assert len(entries) - before == 200
    assert len({a["id"] for a in answers}) == 200
