"""3. Worker throughput: mixed actions through `serve`, beside bare requests; and the
unpaced `serve` a child process runs for rows 6 and 10."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import SANDBOX_SETTINGS, cli_command
from clockify_actions.adapters.cli import SANDBOX_BASE_URL
from clockify_actions.runtime import load_pack
from clockify_actions.sandbox import (
    DEMO_API_KEY,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    SAMPLE_PROJECT_ID,
    Sandbox,
)


def mixed_requests(count: int) -> list[tuple[str, dict[str, Any]]]:
    """Every action in turn, each succeeding against the seeded sandbox: a timer is
    started before it is stopped and every project gets a new name."""
    ws = DEMO_WORKSPACE_ID
    cycle: list[Callable[[int], tuple[str, dict[str, Any]]]] = [
        lambda i: ("list_workspaces", {}),
        lambda i: ("list_projects", {"workspace_id": ws}),
        lambda i: ("get_current_user", {}),
        lambda i: ("start_timer", {"workspace_id": ws, "description": f"Bench {i}"}),
        lambda i: ("stop_timer", {"workspace_id": ws, "user_id": DEMO_USER_ID}),
        lambda i: ("create_project", {"workspace_id": ws, "name": f"Bench project {i}"}),
        lambda i: (
            "create_time_entry",
            {
                "workspace_id": ws,
                "project_id": SAMPLE_PROJECT_ID,
                "start": "2026-01-28T09:00:00Z",
                "end": "2026-01-28T10:30:00Z",
            },
        ),
    ]
    return [cycle[i % len(cycle)](i) for i in range(count)]


def worker(
    count: int,
    env: dict[str, str],
    command: list[str] | None = None,
    requests: list[tuple[str, dict[str, Any]]] | None = None,
) -> dict[str, float]:
    """Actions per second through `serve` (by default `clockify-actions serve --sandbox`):
    once the worker answers (steady state), and from spawning it."""
    requests = mixed_requests(count) if requests is None else requests
    lines = b"".join(
        json.dumps({"id": i, "action": action, "input": data}).encode() + b"\n"
        for i, (action, data) in enumerate(requests)
    )
    spawned = time.perf_counter()
    process = subprocess.Popen(
        command or [*cli_command(), "serve", "--sandbox"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(b'{"id": "warm", "action": "list_workspaces"}\n')
    process.stdin.flush()
    process.stdout.readline()
    ready = time.perf_counter()

    def feed() -> None:
        assert process.stdin is not None
        process.stdin.write(lines)
        process.stdin.close()

    # Written from a thread, read here: neither pipe may fill while the other waits.
    writer = threading.Thread(target=feed)
    writer.start()
    answers = [json.loads(process.stdout.readline()) for _ in requests]
    finished = time.perf_counter()
    writer.join()
    if process.wait() != 0:
        raise SystemExit("the worker failed")
    failed = [answer for answer in answers if answer["envelope"]["status"] != "success"]
    misplaced = [i for i, answer in enumerate(answers) if answer["id"] != i]
    if failed or misplaced:
        raise SystemExit(f"the worker's answers are wrong: {failed[:3]} {misplaced[:3]}")
    return {
        "steady": count / (finished - ready),
        "with_start": count / (finished - spawned),
    }


def bare_requests(count: int, directory: Path) -> float:
    """Requests per second that bare httpx gets from the in-process sandbox, making the
    requests the worker's actions make: the sandbox's own ceiling."""
    sandbox = Sandbox.open(directory / "bare-worker.sqlite3")
    http = httpx.Client(
        transport=sandbox.transport(),
        base_url=SANDBOX_BASE_URL,
        headers={"X-Api-Key": DEMO_API_KEY},
    )
    ws = f"/workspaces/{DEMO_WORKSPACE_ID}"
    entry = {"start": "2026-01-28T09:00:00Z", "end": "2026-01-28T10:30:00Z"}
    cycle: list[Callable[[int], httpx.Response]] = [
        lambda i: http.get("/workspaces"),
        lambda i: http.get(f"{ws}/projects", params={"page": 1, "page-size": 5000}),
        lambda i: http.get("/user"),
        lambda i: http.post(f"{ws}/time-entries", json={"start": entry["start"]}),
        lambda i: http.patch(f"{ws}/user/{DEMO_USER_ID}/time-entries", json={"end": entry["end"]}),
        lambda i: http.post(f"{ws}/projects", json={"name": f"Bare project {i}"}),
        lambda i: http.post(f"{ws}/time-entries", json={**entry, "projectId": SAMPLE_PROJECT_ID}),
    ]
    started = time.perf_counter()
    for i in range(count):
        response = cycle[i % len(cycle)](i)
        json.loads(response.content)
        if not response.is_success:
            raise SystemExit(f"bare request {i} failed: {response.status_code} {response.text}")
    elapsed = time.perf_counter() - started
    http.close()
    sandbox.close()
    return count / elapsed


def serve_unpaced(base_url: str) -> None:
    """Runs in a child process: `serve` against the sandbox at `base_url`, not paced to
    Clockify's 50 requests a second, as the Celery workers are not held back in row 6."""
    from clockify_actions.adapters.worker import serve

    defaults = {"api_key": DEMO_API_KEY, "base_url": base_url, "settings": SANDBOX_SETTINGS}
    serve(load_pack(), sys.stdin.buffer, sys.stdout, defaults)
