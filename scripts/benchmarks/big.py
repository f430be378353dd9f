"""4. A big workspace: `list_projects` beside a 50-per-page walk, each in its own
process so that its peak memory is its own."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import BENCH, SANDBOX_SETTINGS
from clockify_actions.adapters.cli import SANDBOX_BASE_URL
from clockify_actions.runtime import load_pack
from clockify_actions.sandbox import DEMO_API_KEY, DEMO_WORKSPACE_ID, Sandbox


def big_workspace(
    projects: int, directory: Path, env: dict[str, str]
) -> dict[str, dict[str, float]]:
    """`list_projects` and a 50-per-page walk over one workspace, each in its own process
    so that its peak memory is its own."""
    db = directory / "big.sqlite3"
    sandbox = Sandbox.open(db)
    sandbox.seed_projects(DEMO_WORKSPACE_ID, projects)
    sandbox.close()
    results = {}
    for mode in ("pack", "walk"):
        output = subprocess.run(
            [sys.executable, str(BENCH), "--list-projects", mode, str(db)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results[mode] = json.loads(output)
    return results


def list_projects_child(mode: str, db: str) -> None:
    """Runs in a child process: lists the workspace once and prints what it cost."""
    sandbox = Sandbox.open(db)
    transport = sandbox.transport()
    logged = len(sandbox.request_log())
    if mode == "pack":
        pack = load_pack()
        pack.actions["list_projects"].handler  # noqa: B018 - load the handler before timing
        started = time.perf_counter()
        result = pack.run(
            "list_projects",
            {"workspace_id": DEMO_WORKSPACE_ID},
            api_key=DEMO_API_KEY,
            base_url=SANDBOX_BASE_URL,
            transport=transport,
            settings=SANDBOX_SETTINGS,
        )
        elapsed = time.perf_counter() - started
        count = result["count"]
    else:
        http = httpx.Client(transport=transport, headers={"X-Api-Key": DEMO_API_KEY})
        url = f"{SANDBOX_BASE_URL}/workspaces/{DEMO_WORKSPACE_ID}/projects"
        items: list[Any] = []
        started = time.perf_counter()
        for page in range(1, 1_000_000):
            response = http.get(url, params={"page": page, "page-size": 50})
            items.extend(json.loads(response.content))
            if response.headers.get("last-page") == "true":
                break
        elapsed = time.perf_counter() - started
        count = len(items)
    # ru_maxrss is the process's peak resident set size, in KiB on Linux.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    requests = len(sandbox.request_log()) - logged
    print(json.dumps({"count": count, "requests": requests, "ms": elapsed * 1000, "mb": peak}))
