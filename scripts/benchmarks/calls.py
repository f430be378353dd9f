"""2. Per call: `pack.run` on the in-process sandbox beside bare httpx and `json.loads`."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import SANDBOX_SETTINGS, median_ms
from clockify_actions.adapters.cli import SANDBOX_BASE_URL
from clockify_actions.runtime import ClientPool, load_pack
from clockify_actions.sandbox import DEMO_API_KEY, DEMO_WORKSPACE_ID, Sandbox


def per_call(rounds: int, directory: Path) -> dict[str, float]:
    """Median µs of one `list_workspaces` and one `list_projects` through the pack (with a
    pool, and building a client for each run) and through bare httpx."""
    sandbox = Sandbox.open(directory / "per-call.sqlite3")
    transport = sandbox.transport()
    pack = load_pack()
    pool = ClientPool()
    http = httpx.Client(transport=transport, headers={"X-Api-Key": DEMO_API_KEY})
    workspaces_url = f"{SANDBOX_BASE_URL}/workspaces"
    projects_url = f"{SANDBOX_BASE_URL}/workspaces/{DEMO_WORKSPACE_ID}/projects"
    params = {"workspace_id": DEMO_WORKSPACE_ID}
    options: dict[str, Any] = {
        "api_key": DEMO_API_KEY,
        "base_url": SANDBOX_BASE_URL,
        "transport": transport,
        "settings": SANDBOX_SETTINGS,
    }

    calls: dict[str, Callable[[], Any]] = {
        # The requests the pack makes (its page size too), and their answers parsed.
        "bare workspaces": lambda: json.loads(http.get(workspaces_url).content),
        "pooled workspaces": lambda: pack.run("list_workspaces", {}, clients=pool, **options),
        "bare": lambda: json.loads(
            http.get(projects_url, params={"page": 1, "page-size": 5000}).content
        ),
        "pooled": lambda: pack.run("list_projects", params, clients=pool, **options),
        "fresh": lambda: pack.run("list_projects", params, **options),
    }
    if calls["pooled"]()["count"] != len(calls["bare"]()) or calls["pooled workspaces"]()[
        "count"
    ] != len(calls["bare workspaces"]()):
        raise SystemExit("the pack and bare httpx disagree")
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for number in range(rounds + rounds // 10):
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            if number >= rounds // 10:  # the first tenth warms caches up
                samples[name].append(time.perf_counter() - started)
    pool.close()
    http.close()
    sandbox.close()
    return {name: median_ms(times) * 1000 for name, times in samples.items()}
