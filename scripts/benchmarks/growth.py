"""8. Growth: long lists, a big report and a poll against the canned stand-in of
`scripts/standin.py`, beside bare httpx fetching and parsing the same pages.

The sandbox is an emulator with its own store: it answers a few thousand requests a
second and its answers take most of a call, so the rows above say little of what the
pack itself costs. These rows put the pack beside the floor of any client reading the
same answers: bare httpx and `json.loads` of the same pages from `scripts/standin.py`,
an asyncio server on loopback (or, for the no-network floor, the same canned answers
from a transport in-process)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import median_ms, progress
from clockify_actions.clockify import ClientSettings
from clockify_actions.runtime import ClientPool, load_pack
from clockify_actions.sandbox import DEMO_API_KEY, DEMO_USER_ID, DEMO_WORKSPACE_ID

# (name, action or trigger, what it reads): sizes are filled in by `growth_cases`.
GROWTH_FULL = {
    "projects": (1_000, 10_000, 100_000),
    "entries": (10_000, 50_000),
    "report": 10_000,
    "poll": 10_000,
}
GROWTH_SMOKE = {"projects": (120,), "entries": (150,), "report": 150, "poll": 150}
STANDIN_SETTINGS = ClientSettings(requests_per_second=None)


def _bare_fetch(http: httpx.Client, root: str, case: dict[str, Any]) -> int:
    """What any client must do to read the case's pages: GET (or POST) each, parse it."""
    from standin import DETAILED

    count, number = 0, case["first"]
    while True:
        if case["kind"] == "report":
            reports = root.removesuffix("/api/v1") + DETAILED
            body = {"detailedFilter": {"page": number, "pageSize": 1000}}
            response = http.post(reports, json=body)
            items = json.loads(response.content)["timeentries"]
        else:
            query = {"page": number, case["size_param"]: case["page_size"]}
            response = http.get(root.removesuffix("/api/v1") + case["path"], params=query)
            items = json.loads(response.content)
        count += len(items)
        if response.headers.get("last-page") == "true" or len(items) < case["page_size"]:
            return count
        number += 1


def growth_cases(sizes: dict[str, Any]) -> list[dict[str, Any]]:
    from standin import CREATED, ENTRIES, PROJECTS

    window = {"start": "2000-01-01T00:00:00Z", "end": "2100-01-01T00:00:00Z"}
    cases = [
        {
            "name": f"`list_projects`, {n:,} projects",
            "action": "list_projects",
            "params": {"workspace_id": DEMO_WORKSPACE_ID},
            "projects": n,
            "kind": "list",
            "path": PROJECTS,
            "first": 1,
            "size_param": "page-size",
            "page_size": 5000,
            "count": n,
        }
        for n in sizes["projects"]
    ]
    cases += [
        {
            "name": f"`list_time_entries`, {n:,} entries",
            "action": "list_time_entries",
            "params": {"workspace_id": DEMO_WORKSPACE_ID, "user_id": DEMO_USER_ID},
            "entries": n,
            "kind": "list",
            "path": ENTRIES,
            "first": 1,
            "size_param": "page-size",
            "page_size": 5000,
            "count": n,
        }
        for n in sizes["entries"]
    ]
    n = sizes["report"]
    cases.append(
        {
            "name": f"`detailed_report`, {n:,} entries",
            "action": "detailed_report",
            "params": {"workspace_id": DEMO_WORKSPACE_ID, **window},
            "report": n,
            "kind": "report",
            "first": 1,
            "page_size": 1000,
            "count": n,
        }
    )
    n = sizes["poll"]
    cases.append(
        {
            "name": f"`new_time_entry` poll, {n:,} new entries",
            "trigger": "new_time_entry",
            "params": {"workspace_id": DEMO_WORKSPACE_ID},
            "poll": n,
            "kind": "list",
            "path": CREATED,
            "first": 0,
            "size_param": "limit",
            "page_size": 1000,
            "count": n,
        }
    )
    return cases


def _pack_call(pack: Any, case: dict[str, Any], options: dict[str, Any]) -> int:
    if "trigger" in case:
        cursor = (datetime.now(UTC) - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        state = {
            "trigger": case["trigger"],
            "workspace_id": DEMO_WORKSPACE_ID,
            "cursor": cursor,
            "seen": {},
            "pending": {},
        }
        result = pack.poll(case["trigger"], case["params"], state, **options)
        if result["status"] != "success":
            raise SystemExit(f"{case['name']}: {result}")
        return len(result["events"])
    result = pack.run(case["action"], case["params"], **options)
    if result["status"] != "success":
        raise SystemExit(f"{case['name']}: {result}")
    return int(result["count"])


def _grow(pack: Any, found: dict[str, Any], case: dict[str, Any], repeats: int) -> dict[str, Any]:
    import gc
    import tracemalloc

    from standin import canned, serving

    answers = canned(
        found,
        case.get("projects", 3),
        case.get("entries", 1),
        case.get("report", 1),
        case.get("poll", 0),
    )
    with serving(answers) as root:
        pool = ClientPool()
        options = {
            "api_key": DEMO_API_KEY,
            "base_url": root,
            "settings": STANDIN_SETTINGS,
            "clients": pool,
        }
        http = httpx.Client(headers={"X-Api-Key": DEMO_API_KEY}, trust_env=False)
        runs: dict[str, Callable[[], int]] = {
            "pack": lambda: _pack_call(pack, case, options),
            "bare": lambda: _bare_fetch(http, root, case),
        }
        for name, run in runs.items():  # a first round warms up, and checks the count
            if run() != case["count"]:
                raise SystemExit(f"{case['name']}: {name} read a wrong count")
        samples: dict[str, list[float]] = {"pack": [], "bare": []}
        for _ in range(repeats):
            for name, run in runs.items():
                started = time.perf_counter()
                run()
                samples[name].append(time.perf_counter() - started)
        peaks = {}
        for name, run in runs.items():
            gc.collect()
            tracemalloc.start()
            run()
            peaks[name] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        pool.close()
        http.close()
    return {
        "name": case["name"],
        **{name: median_ms(times) for name, times in samples.items()},
        "pack_mib": peaks["pack"],
        "bare_mib": peaks["bare"],
    }


def growth(sizes: dict[str, Any], repeats: int, directory: Path) -> list[dict[str, Any]]:
    """For each case: the median wall time of the pack's call and of the bare fetch, taking
    turns, and the peak of traced memory of each (tracemalloc, one run apiece)."""
    from standin import templates

    pack = load_pack()
    found = templates(directory)
    results = []
    for case in growth_cases(sizes):
        results.append(_grow(pack, found, case, repeats))
        progress(f"  growth: {case['name']}")
    return results
