"""Measure the pack against its floor, side by side, and write the table to BENCHMARKS.md.

1. cold start: `clockify-actions run list_workspaces --base-url <loopback>` against a
   fresh process making the same GET with bare httpx, both against one sandbox served
   over HTTP on this machine; and `run --sandbox` against `python -c "import httpx"`;
   medians of interleaved runs;
2. per call: `pack.run("list_workspaces", ...)` and `pack.run("list_projects", ...)` on
   the in-process sandbox transport against the same requests made with bare httpx and
   `json.loads`;
3. worker: mixed actions through `clockify-actions serve --sandbox`, a real subprocess;
4. a 10,000-project workspace: `list_projects` requests, wall time and peak memory beside
   a 50-per-page walk;
5. MCP server: `clockify-actions mcp --sandbox` from spawning to its answer to
   `tools/list`, against a one-tool low-level server of the same SDK; a call once it runs
   against that server's echo tool plus the same action as a `serve` line; and the size
   of `tools/list` per toolset (only where the `mcp` extra is installed; `--only-mcp`
   measures and writes these alone);
6. Celery: mixed actions through two `celery -A clockify_actions.adapters.celery` workers against
   `sandbox serve`, beside one `serve` worker against the same (only where the `celery`
   extra and `redis-server` are installed);
7. floors: three seed actions per call against a bare `httpx.Client`, both reading the
   canned stand-in of `scripts/standin.py` on loopback and with no network;
8. growth: lists of 1k/10k/100k projects and 10k/50k entries, a 10k detailed report and
   a poll of 10k new entries, beside bare httpx fetching and parsing the same pages.

Progress goes to stderr, the table to stdout; the full run also replaces the table in
BENCHMARKS.md (between its markers) with the machine and the command. `--smoke` (or
`--quick`) runs everything at tiny sizes, to prove the benchmark works, and writes
nothing. Every
sandbox is a temporary file, served in-process (over loopback for 6): no network, and
never the user's state.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from clockify_actions.adapters.cli import SANDBOX_BASE_URL
from clockify_actions.clockify import ClientSettings
from clockify_actions.runtime import ClientPool, load_pack
from clockify_actions.sandbox import (
    DB_ENV_VAR,
    DEMO_API_KEY,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    SAMPLE_PROJECT_ID,
    Sandbox,
)

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "BENCHMARKS.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
# The MCP section's table of tool-list sizes, written with rows 5 to 5c.
TOOLS_START, TOOLS_END = "<!-- bench:mcp-tools:start -->", "<!-- bench:mcp-tools:end -->"
# The CLI's own sandbox settings: the sandbox paces requests itself when asked to.
SANDBOX_SETTINGS = ClientSettings(requests_per_second=None)
RUN_ARGUMENTS = ["run", "list_workspaces", "--sandbox"]
# The floor of a cold run against a server: a process that builds an httpx client (with
# the pack's `trust_env=False`), makes the same GET and parses the answer.
BARE_GET = (
    "import json, sys, httpx\n"
    "with httpx.Client(headers={'X-Api-Key': sys.argv[1]}, trust_env=False) as http:\n"
    "    json.loads(http.get(sys.argv[2] + '/workspaces').content)\n"
)


@dataclass(frozen=True)
class Sizes:
    cold_runs: int
    call_rounds: int
    worker_actions: int
    projects: int


FULL = Sizes(cold_runs=20, call_rounds=2000, worker_actions=2000, projects=10_000)
SMOKE = Sizes(cold_runs=2, call_rounds=20, worker_actions=21, projects=120)


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cli_command() -> list[str]:
    """The installed `clockify-actions` script beside this interpreter, as a user runs it."""
    script = Path(sys.executable).with_name("clockify-actions")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "clockify_actions"]


def child_env(directory: Path) -> dict[str, str]:
    """The environment for child processes: a fresh sandbox file, none of the user's
    Clockify settings (which would point the pack elsewhere), and compiled bytecode kept
    in `directory`, as an installed package keeps it, even where the shell says not to
    write any (PYTHONDONTWRITEBYTECODE would have every start compile the pack anew)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOCKIFY_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(directory / "pycache")
    env[DB_ENV_VAR] = str(directory / "sandbox.sqlite3")
    return env


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


# --- 1. cold start -------------------------------------------------------------------


# Each step imports one more layer of what `run` needs, so that consecutive medians say
# what that layer costs; the last is the command itself, which also does the work.
COLD_STEPS = [
    ("Python", "`python -c pass`", "pass"),
    ("+ httpx (the baseline of 1b)", '`python -c "import httpx"`', "import httpx"),
    ("+ the sandbox", "… clockify_actions.sandbox", "import httpx, clockify_actions.sandbox"),
    (
        "+ the Clockify client",
        "… clockify_actions.clockify and the workspaces' wire objects (no pydantic)",
        "import httpx, clockify_actions.sandbox, clockify_actions.clockify.client,"
        " clockify_actions.resources.workspaces.wire",
    ),
    (
        "+ the CLI and runtime",
        "… clockify_actions.adapters.cli, clockify_actions.runtime",
        "import httpx, clockify_actions.sandbox, clockify_actions.clockify.client,"
        " clockify_actions.clockify.wire, clockify_actions.adapters.cli, clockify_actions.runtime",
    ),
]
# For reference: what the wire models cost where pydantic parses (error bodies, a
# handler's own pydantic model), not on the path of a valid answer any more.
PYDANTIC_STEP = (
    "pydantic's wire models",
    '`python -c "import httpx, clockify_actions.resources.workspaces.models"`',
    "import httpx, clockify_actions.resources.workspaces.models",
)


def cold_start(runs: int, env: dict[str, str], directory: Path) -> dict[str, float]:
    """Median wall time of each command, in ms, the commands taking turns run by run so
    that a slow moment of the machine falls on all of them alike. The loopback commands
    talk to one sandbox served over HTTP on 127.0.0.1 by this process."""
    sandbox = Sandbox.open(directory / "loopback.sqlite3")
    server = sandbox.serve()
    base_url = server.base_url
    commands = {name: [sys.executable, "-c", code] for name, _, code in COLD_STEPS}
    commands[PYDANTIC_STEP[0]] = [sys.executable, "-c", PYDANTIC_STEP[2]]
    commands["bare GET"] = [sys.executable, "-c", BARE_GET, DEMO_API_KEY, base_url]
    commands["run loopback"] = [
        *cli_command(),
        "run",
        "list_workspaces",
        "--base-url",
        base_url,
        "--api-key-env",
        "BENCH_API_KEY",
    ]
    commands["run"] = [*cli_command(), *RUN_ARGUMENTS]
    commands["list"] = [*cli_command(), "list"]
    env = {**env, "BENCH_API_KEY": DEMO_API_KEY}
    try:
        # A first round compiles the bytecode and seeds the sandbox file: no one's start.
        for command in commands.values():
            subprocess.run(command, env=env, check=True, capture_output=True)
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for number in range(runs):
            for name, command in commands.items():
                started = time.perf_counter()
                subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
                samples[name].append(time.perf_counter() - started)
            progress(f"  cold start: run {number + 1}/{runs}")
    finally:
        server.close()
        sandbox.close()
    return {name: median_ms(times) for name, times in samples.items()}


# --- 2. per-call overhead --------------------------------------------------------------


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


# --- 3. worker throughput ----------------------------------------------------------------


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


# --- 7. growth and floors, against the canned stand-in ---------------------------------
#
# The sandbox is an emulator with its own store: it answers a few thousand requests a
# second and its answers take most of a call, so the rows above say little of what the
# pack itself costs. These rows put the pack beside the floor of any client reading the
# same answers: bare httpx and `json.loads` of the same pages from `scripts/standin.py`,
# an asyncio server on loopback (or, for the no-network floor, the same canned answers
# from a transport in-process).

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


def _floor_calls(
    pack: Any, base: str, transport: httpx.BaseTransport | None, rounds: int
) -> dict[str, float]:
    from standin import CREATE_ENTRY, ENTRY

    host = base.removesuffix("/api/v1")
    create = {"workspace_id": DEMO_WORKSPACE_ID, "project_id": SAMPLE_PROJECT_ID, **ENTRY}
    body = {**ENTRY, "projectId": SAMPLE_PROJECT_ID}
    pool = ClientPool()
    options = {
        "api_key": DEMO_API_KEY,
        "base_url": base,
        "settings": STANDIN_SETTINGS,
        "clients": pool,
        "transport": transport,
    }
    http = httpx.Client(headers={"X-Api-Key": DEMO_API_KEY}, trust_env=False, transport=transport)
    # The pack sends a POST on a connection of its own (see clockify/transport.py): the
    # same request from a bare client that keeps no connection alive is its floor too.
    fresh = httpx.Client(
        headers={"X-Api-Key": DEMO_API_KEY},
        trust_env=False,
        transport=transport,
        limits=httpx.Limits(max_keepalive_connections=0),
    )
    ws = {"workspace_id": DEMO_WORKSPACE_ID}
    projects = f"{host}/api/v1/workspaces/{DEMO_WORKSPACE_ID}/projects"
    calls: dict[str, Callable[[], Any]] = {
        "list_workspaces pack": lambda: pack.run("list_workspaces", {}, **options),
        "list_workspaces bare": lambda: json.loads(http.get(f"{base}/workspaces").content),
        "list_projects pack": lambda: pack.run("list_projects", ws, **options),
        "list_projects bare": lambda: json.loads(
            http.get(projects, params={"page": 1, "page-size": 5000}).content
        ),
        "create_time_entry pack": lambda: pack.run("create_time_entry", create, **options),
        "create_time_entry bare": lambda: json.loads(
            http.post(f"{host}{CREATE_ENTRY}", json=body).content
        ),
        "create_time_entry bare, fresh connection": lambda: json.loads(
            fresh.post(f"{host}{CREATE_ENTRY}", json=body).content
        ),
    }
    for name, call in calls.items():
        answer = call()
        if name.endswith("pack") and answer["status"] != "success":
            raise SystemExit(f"{name} ({base}): {answer}")
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for number in range(rounds + rounds // 10):
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            if number >= rounds // 10:
                samples[name].append(time.perf_counter() - started)
    pool.close()
    http.close()
    fresh.close()
    return {name: median_ms(times) * 1000 for name, times in samples.items()}


def floor_calls(rounds: int, directory: Path) -> dict[str, dict[str, float]]:
    """Median µs of three seed actions through the pack (a `ClientPool`) and bare httpx,
    against the loopback stand-in and against the no-network canned transport."""
    from standin import CannedTransport, canned, serving, templates

    pack = load_pack()
    answers = canned(templates(directory), 3, 1, 1, 0)
    results: dict[str, dict[str, float]] = {}
    with serving(answers) as root:
        for floor, transport in (("loopback", None), ("no network", CannedTransport(answers))):
            base = root if transport is None else SANDBOX_BASE_URL
            results[floor] = _floor_calls(pack, base, transport, rounds)
            progress(f"  per call against the {floor} floor")
    return results


def cold_floor(runs: int, env: dict[str, str], directory: Path) -> dict[str, float]:
    """Median ms of cold `run`s (and a poll) against the loopback stand-in, taking turns
    with the floor of any client: a fresh process making one GET with bare httpx."""
    from standin import ENTRY, canned, serving, templates

    answers = canned(templates(directory), 3, 3, 3, 0)
    ws = f"workspace_id={DEMO_WORKSPACE_ID}"
    window = ["--param", "start=2020-01-01T00:00:00Z", "--param", "end=2030-01-01T00:00:00Z"]
    with serving(answers) as root:
        connection = ["--base-url", root, "--api-key-env", "BENCH_API_KEY"]
        run = [*cli_command(), "run"]
        commands = {
            "bare GET": [sys.executable, "-c", BARE_GET, DEMO_API_KEY, root],
            "list_workspaces": [*run, "list_workspaces", *connection],
            "list_projects": [*run, "list_projects", *connection, "--param", ws],
            "list_time_entries": [
                *run,
                "list_time_entries",
                *connection,
                "--param",
                ws,
                "--param",
                f"user_id={DEMO_USER_ID}",
            ],
            "create_time_entry": [
                *run,
                "create_time_entry",
                *connection,
                "--param",
                ws,
                "--param",
                f"project_id={SAMPLE_PROJECT_ID}",
                "--param",
                f"start={ENTRY['start']}",
                "--param",
                f"end={ENTRY['end']}",
            ],
            "detailed_report": [*run, "detailed_report", *connection, "--param", ws, *window],
            "summary_report": [*run, "summary_report", *connection, "--param", ws, *window],
            "poll new_time_entry": [
                *cli_command(),
                "poll",
                "new_time_entry",
                *connection,
                "--param",
                ws,
                "--state",
                str(directory / "cold-poll.json"),
            ],
        }
        env = {**env, "BENCH_API_KEY": DEMO_API_KEY}
        for name, command in commands.items():  # compiles bytecode; each must succeed
            done = subprocess.run(command, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                raise SystemExit(f"cold {name} failed: {done.stdout[:300]} {done.stderr[:300]}")
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, command in commands.items():
                started = time.perf_counter()
                subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
                samples[name].append(time.perf_counter() - started)
    progress("  cold starts against the stand-in")
    return {name: median_ms(times) for name, times in samples.items()}


def worker_floor(count: int, env: dict[str, str], directory: Path) -> dict[str, float]:
    """Reads per second through one unpaced `serve` worker (a subprocess) against the
    loopback stand-in, and through a bare httpx loop making the same requests over one
    kept-alive connection to it, parsing each answer."""
    from standin import ENTRIES, PROJECTS, canned, serving, templates

    ws = {"workspace_id": DEMO_WORKSPACE_ID}
    cycle: list[tuple[str, dict[str, Any]]] = [
        ("list_workspaces", {}),
        ("list_projects", ws),
        ("list_time_entries", {**ws, "user_id": DEMO_USER_ID}),
    ]
    requests = [cycle[i % len(cycle)] for i in range(count)]
    with serving(canned(templates(directory), 3, 3, 1, 0)) as root:
        host = root.removesuffix("/api/v1")
        command = [sys.executable, __file__, "--serve-unpaced", root]
        pack = worker(count, env, command, requests)["steady"]
        http = httpx.Client(headers={"X-Api-Key": DEMO_API_KEY}, trust_env=False)
        paging = {"page": 1, "page-size": 5000}
        bare: list[Callable[[], httpx.Response]] = [
            lambda: http.get(f"{root}/workspaces"),
            lambda: http.get(f"{host}{PROJECTS}", params=paging),
            lambda: http.get(f"{host}{ENTRIES}", params=paging),
        ]
        started = time.perf_counter()
        for i in range(count):
            json.loads(bare[i % len(bare)]().content)
        rate = count / (time.perf_counter() - started)
        http.close()
    progress("  worker against the stand-in")
    return {"pack": pack, "bare": rate}


def cold_floor_rows(
    cold: dict[str, float], runs: int, work: dict[str, float], actions: int
) -> list[str]:
    floor = cold["bare GET"]
    ratio = work["pack"] / work["bare"]
    rows = [
        "",
        "| # | measure | the pack | floor | ratio | target |",
        "|---|---|---|---|---|---|",
        f"| 10 | worker: {actions:,} reads (`list_workspaces`, `list_projects`, "
        "`list_time_entries`) through one unpaced `serve` subprocess against the loopback "
        "stand-in, once it answers, vs a bare httpx loop making the same requests over one "
        f"kept-alive connection | {work['pack']:,.0f} reads/s | {work['bare']:,.0f} "
        f"requests/s | {ratio:.2f} | ≥ 0.95: {verdict(ratio >= 0.95)} |",
        "",
        "Cold starts against the loopback stand-in: each command a fresh process, beside a "
        "fresh process that imports httpx, builds a client, makes one GET and parses it, "
        f"taking turns, median of {runs}.",
        "",
        "| # | command | the pack | bare GET process | ratio | target |",
        "|---|---|---|---|---|---|",
    ]
    for name, ms in cold.items():
        if name == "bare GET":
            continue
        ratio = ms / floor
        command = f"`clockify-actions {'poll' if name.startswith('poll') else 'run'} "
        command += f"{name.removeprefix('poll ')}`"
        rows.append(
            f"| 9 | {command} | {ms:.1f} ms | {floor:.1f} ms | {ratio:.2f} "
            f"| ≤ 1.15: {verdict(ratio <= 1.15)} |"
        )
    return rows


def floor_rows(
    calls: dict[str, dict[str, float]], grown: list[dict[str, Any]], rounds: int
) -> list[str]:
    rows = [
        "",
        "Against the canned stand-in (`scripts/standin.py`): per call, a seed action through "
        f"the pack with a `ClientPool` vs the same request with a bare `httpx.Client` and "
        f"`json.loads`, taking turns, median of {rounds}; on loopback (an asyncio server "
        "answering canned pages) and with no network (the same answers from a transport).",
        "",
        "| # | action | floor | the pack | bare httpx | ratio | target |",
        "|---|---|---|---|---|---|---|",
    ]
    for number, floor, limit in (("7", "loopback", 1.15), ("7b", "no network", 1.3)):
        for action in ("list_workspaces", "list_projects", "create_time_entry"):
            mine, bare = calls[floor][f"{action} pack"], calls[floor][f"{action} bare"]
            ratio = mine / bare
            rows.append(
                f"| {number} | `{action}` | {floor} | {mine:.0f} µs | {bare:.0f} µs "
                f"| {ratio:.2f} | ≤ {limit}: {verdict(ratio <= limit)} |"
            )
        if floor != "loopback":
            continue  # with no network there is no connection to open
        mine = calls[floor]["create_time_entry pack"]
        bare = calls[floor]["create_time_entry bare, fresh connection"]
        rows.append(
            f"| {number}c | `create_time_entry` vs a bare client that, as the pack, sends "
            f"each POST on a new connection | {floor} | {mine:.0f} µs | {bare:.0f} µs "
            f"| {mine / bare:.2f} | — |"
        )
    rows += [
        "",
        "Growth: the whole call through the pack (a `ClientPool`, the stand-in on loopback) "
        "vs bare httpx fetching and `json.loads`-ing the same pages; wall time the median of "
        "interleaved runs, memory the peak traced by `tracemalloc` during one run of each.",
        "",
        "| # | case | the pack | bare fetch | time ratio | memory, pack / bare | target |",
        "|---|---|---|---|---|---|---|",
    ]
    for each in grown:
        ratio = each["pack"] / each["bare"]
        memory = each["pack_mib"] / max(each["bare_mib"], 0.001)
        met = ratio <= 2 and memory <= 1.5
        rows.append(
            f"| 8 | {each['name']} | {each['pack']:.0f} ms | {each['bare']:.0f} ms "
            f"| {ratio:.2f} | {each['pack_mib']:.1f} / {each['bare_mib']:.1f} MiB = {memory:.2f} "
            f"| ≤ 2, ≤ 1.5: {verdict(met)} |"
        )
    return rows


# --- 4. a big workspace ------------------------------------------------------------------


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
            [sys.executable, __file__, "--list-projects", mode, str(db)],
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


# --- 5. MCP server --------------------------------------------------------------------------

# What an MCP client sends first, protocol version and all; the answer to the last is the
# list of tools, after which an agent can call one.
MCP_INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "bench", "version": "1"},
    },
}
MCP_INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}
SDK_IMPORT = "import mcp.server.lowlevel, mcp.server.stdio"
# The floor of an MCP server on the same SDK: a low-level server with one tool, an echo
# answering as the pack's tools do (text and structured content).
ECHO_SERVER = """
import json, anyio, mcp_types as types
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server
ECHO = types.Tool(name="echo", input_schema={"type": "object", "properties": {"text": {"type": "string"}}})
async def list_tools(ctx, params):
    return types.ListToolsResult(tools=[ECHO])
async def call_tool(ctx, params):
    echoed = dict(params.arguments or {})
    return types.CallToolResult(content=[types.TextContent(text=json.dumps(echoed))], structured_content=echoed)
server = Server("echo", on_list_tools=list_tools, on_call_tool=call_tool)
async def main():
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())
anyio.run(main)
"""


def mcp_commands() -> dict[str, list[str]]:
    return {
        "mcp": [*cli_command(), "mcp", "--sandbox"],
        "echo": [sys.executable, "-c", ECHO_SERVER],
    }


class Peer:
    """A child process spoken to one JSON line at a time, each answered by one line."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
        )

    def ask(self, *messages: dict[str, Any]) -> dict[str, Any]:
        """Send the messages; the answer to the last."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(b"".join(json.dumps(m).encode() + b"\n" for m in messages))
        self.process.stdin.flush()
        answer: dict[str, Any] = json.loads(self.process.stdout.readline())
        return answer

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        if self.process.wait() != 0:
            raise SystemExit(f"{self.process.args!r} failed")


def mcp_session(command: list[str], env: dict[str, str]) -> tuple[Peer, list[dict[str, Any]]]:
    """A server spawned, initialized and asked for its tools, as a client does."""
    peer = Peer(command, env)
    peer.ask(MCP_INITIALIZE)
    listed = peer.ask(MCP_INITIALIZED, {"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
    tools: list[dict[str, Any]] = listed["result"]["tools"]
    return peer, tools


def mcp_ready(command: list[str], env: dict[str, str]) -> int:
    """Spawn an MCP server, initialize it and list its tools; the number of tools."""
    peer, tools = mcp_session(command, env)
    peer.close()
    return len(tools)


def mcp_start(runs: int, env: dict[str, str]) -> dict[str, float]:
    """Median ms until the pack's MCP server and the one-tool echo server have listed
    their tools, and of the SDK's own import, taking turns."""
    servers = mcp_commands()
    commands: dict[str, Callable[[], object]] = {
        name: partial(mcp_ready, command, env) for name, command in servers.items()
    }
    commands["sdk"] = lambda: subprocess.run(
        [sys.executable, "-c", SDK_IMPORT], env=env, check=True
    )
    for command in commands.values():  # also compiles the bytecode: no one's start
        command()
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for number in range(runs):
        for name, command in commands.items():
            started = time.perf_counter()
            command()
            samples[name].append(time.perf_counter() - started)
        progress(f"  MCP start: run {number + 1}/{runs}")
    return {name: median_ms(times) for name, times in samples.items()}


def _tool_call(number: int, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    params = {"name": name, "arguments": arguments}
    return {"jsonrpc": "2.0", "id": number, "method": "tools/call", "params": params}


def mcp_per_call(rounds: int, env: dict[str, str]) -> dict[str, float]:
    """Median µs of one call once the servers run: `list_workspaces` through the pack's MCP
    server, the echo server's tool, and the same action as one `serve` line, taking
    turns."""
    servers = {name: mcp_session(command, env)[0] for name, command in mcp_commands().items()}
    serve = Peer([*cli_command(), "serve", "--sandbox"], env)
    calls: dict[str, Callable[[int], dict[str, Any]]] = {
        "mcp call": lambda n: servers["mcp"].ask(_tool_call(n, "list_workspaces", {})),
        "echo call": lambda n: servers["echo"].ask(_tool_call(n, "echo", {"text": "x"})),
        "serve line": lambda n: serve.ask({"id": n, "action": "list_workspaces"}),
    }
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for number in range(rounds + rounds // 10):
        for name, call in calls.items():
            started = time.perf_counter()
            answer = call(number + 10)
            if number >= rounds // 10:  # the first tenth warms caches up
                samples[name].append(time.perf_counter() - started)
            if "error" in answer or answer.get("result", {}).get("isError"):
                raise SystemExit(f"{name} failed: {answer}")
    for peer in [*servers.values(), serve]:
        peer.close()
    return {name: median_ms(times) * 1000 for name, times in samples.items()}


def tools_list_sizes(env: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Characters of the answer to `tools/list` (its result, as compact JSON) and the
    number of tools, for the default choice, each toolset and all of them."""
    from clockify_actions.adapters.mcp import ALL_TOOLSETS, toolsets

    choices = {"default": [], **{name: ["--toolsets", name] for name in toolsets(load_pack())}}
    choices[ALL_TOOLSETS] = ["--toolsets", ALL_TOOLSETS]
    sizes: dict[str, tuple[int, int]] = {}
    for choice, args in choices.items():
        peer, tools = mcp_session([*mcp_commands()["mcp"], *args], env)
        peer.close()
        sizes[choice] = (len(json.dumps({"tools": tools}, separators=(",", ":"))), len(tools))
    return sizes


def mcp_measures(sizes: Sizes, env: dict[str, str]) -> dict[str, Any] | None:
    """Rows 5 to 5c and the tools/list sizes; None without the `mcp` extra."""
    if importlib.util.find_spec("mcp") is None:
        return None
    return {
        "start": mcp_start(sizes.cold_runs, env),
        "call": mcp_per_call(sizes.call_rounds // 4, env),
        "sizes": tools_list_sizes(env),
    }


# --- 6. Celery -------------------------------------------------------------------------

CELERY_WORKERS = 2
CELERY_THREADS = 8
# High enough never to hold a request back: what is measured is the cost of the shared
# bucket, each request still taking its token from Redis.
CELERY_RATE_LIMIT = "1000000/s"


def celery_requests(count: int) -> list[tuple[str, dict[str, Any]]]:
    """The worker's mix without the timers: Celery runs tasks in any order, and a timer
    can be stopped only once it was started."""
    return [(a, d) for a, d in mixed_requests(count * 2) if "timer" not in a][:count]


def _listening(port: int, process: subprocess.Popen[bytes]) -> None:
    give_up = time.monotonic() + 20
    while time.monotonic() < give_up and process.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listened on port {port}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def celery_throughput(count: int, env: dict[str, str], directory: Path) -> dict[str, float] | None:
    """Actions per second through two Celery workers (threads) and through one `serve`
    worker, both against one `sandbox serve` on loopback, once they answer; None without
    the `celery` extra or `redis-server`."""
    redis_server = shutil.which("redis-server")
    if importlib.util.find_spec("celery") is None or redis_server is None:
        return None
    from clockify_actions.adapters.celery import RUN_ACTION, make_app

    processes: list[subprocess.Popen[bytes]] = []
    try:
        port = _free_port()
        redis = subprocess.Popen(
            [redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
            cwd=directory,
            stdout=subprocess.DEVNULL,
        )
        processes.append(redis)
        _listening(port, redis)
        sandbox = subprocess.Popen(
            [*cli_command(), "sandbox", "serve", "--db", str(directory / "celery.sqlite3")],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        processes.append(sandbox)
        assert sandbox.stdout is not None
        base_url = json.loads(sandbox.stdout.readline())["base_url"]
        broker = f"redis://127.0.0.1:{port}/0"
        worker_env = {
            **env,
            "CELERY_BROKER_URL": broker,
            "CLOCKIFY_BASE_URL": base_url,
            "CLOCKIFY_API_KEY": DEMO_API_KEY,
            "CLOCKIFY_RATE_LIMIT": CELERY_RATE_LIMIT,
        }
        for number in range(CELERY_WORKERS):
            processes.append(
                subprocess.Popen(
                    [
                        *(sys.executable, "-m", "celery", "-A", "clockify_actions.adapters.celery"),
                        *("worker", "--pool", "threads", "--concurrency", str(CELERY_THREADS)),
                        *("--hostname", f"bench{number}@%h", "--loglevel", "WARNING"),
                        *("--without-heartbeat", "--without-mingle", "--without-gossip"),
                    ],
                    env=worker_env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        app = make_app(worker_env)
        while len(app.control.ping(timeout=0.5)) < CELERY_WORKERS:
            progress("  Celery: waiting for the workers")
        requests = celery_requests(count)
        warm = [app.send_task(RUN_ACTION, args=["list_workspaces"]) for _ in range(20)]
        for result in warm:
            result.get(timeout=60)
        started = time.perf_counter()
        results = [app.send_task(RUN_ACTION, args=[a, d]) for a, d in requests]
        envelopes = [result.get(timeout=300) for result in results]
        finished = time.perf_counter()
        failed = [e for e in envelopes if e["status"] != "success"]
        if failed:
            raise SystemExit(f"the Celery workers' answers are wrong: {failed[:3]}")
        # The same sandbox: the projects need names of their own this time.
        again = [
            (a, {**d, "name": f"{d['name']} again"} if "name" in d else d) for a, d in requests
        ]
        one = worker(count, env, [sys.executable, __file__, "--serve-unpaced", base_url], again)
        return {"celery": count / (finished - started), "serve": one["steady"]}
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait()


# --- the report ----------------------------------------------------------------------------


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{model}, {os.cpu_count()} cores; Python {platform.python_version()} "
        f"({platform.python_implementation()}); {platform.system()} {platform.release()}"
    )


def _requests(count: int) -> str:
    return f"{count} request{'' if count == 1 else 's'}"


def verdict(met: bool) -> str:
    return "met" if met else "**missed**"


def table(sizes: Sizes, results: dict[str, Any]) -> str:
    cold, call, work = results["cold"], results["call"], results["worker"]
    big = results["big"]
    pack, walk = big["pack"], big["walk"]
    httpx_import = cold["+ httpx (the baseline of 1b)"]
    loopback_ratio = cold["run loopback"] / cold["bare GET"]
    sandbox_ratio = cold["run"] / httpx_import
    workspaces_ratio = call["pooled workspaces"] / call["bare workspaces"]
    call_ratio = call["pooled"] / call["bare"]
    fresh_ratio = call["fresh"] / call["bare"]
    per_process = 1000 / cold["run"]
    within_memory = pack["requests"] <= 3 and pack["mb"] <= 70
    rows = [
        "| # | measure | the pack | baseline | result | target |",
        "|---|---|---|---|---|---|",
        f"| 1 | cold start against a server: `clockify-actions run list_workspaces --base-url "
        f"<loopback>` vs a fresh process that imports httpx, builds a client, makes the same "
        f"GET and parses the JSON, one sandbox served on 127.0.0.1, median of "
        f"{sizes.cold_runs} interleaved runs "
        f"| {cold['run loopback']:.1f} ms | {cold['bare GET']:.1f} ms "
        f"| ratio {loopback_ratio:.2f} | ≤ 1.15: {verdict(loopback_ratio <= 1.15)} |",
        f"| 1b | cold start in-process: `clockify-actions run list_workspaces --sandbox` vs "
        f'`python -c "import httpx"` (no client to build) '
        f"| {cold['run']:.1f} ms | {httpx_import:.1f} ms | ratio {sandbox_ratio:.2f} "
        f"| ≤ 1.5: {verdict(sandbox_ratio <= 1.5)} |",
        f'| 2 | per call: `pack.run("list_projects", …)` with a `ClientPool` vs bare httpx '
        f"+ `json.loads`, same in-process sandbox transport, median of {sizes.call_rounds} "
        f"| {call['pooled']:.0f} µs | {call['bare']:.0f} µs | ratio {call_ratio:.2f} "
        f"| ≤ 1.2: {verdict(call_ratio <= 1.2)} |",
        f'| 2a | per call: `pack.run("list_workspaces", …)` with a `ClientPool`, the same way '
        f"| {call['pooled workspaces']:.0f} µs | {call['bare workspaces']:.0f} µs "
        f"| ratio {workspaces_ratio:.2f} | ≤ 1.2: {verdict(workspaces_ratio <= 1.2)} |",
        f"| 2b | per call, `list_projects` with a new Clockify client for each run (no pool) "
        f"| {call['fresh']:.0f} µs | {call['bare']:.0f} µs | ratio {fresh_ratio:.2f} | — |",
        f"| 3 | worker: {sizes.worker_actions:,} mixed actions (all seven) through "
        f"`clockify-actions serve --sandbox`, a subprocess, once it answers "
        f"| {work['steady']:,.0f} actions/s | bare httpx, the same requests on the "
        f"in-process sandbox: {work['bare']:,.0f} requests/s "
        f"| {work['steady'] / work['bare']:.2f} of the sandbox's own rate "
        f"| ≥ 2,500/s: {verdict(work['steady'] >= 2500)} |",
        f"| 3b | worker, counted from spawning the process "
        f"| {work['with_start']:,.0f} actions/s | a `clockify-actions run` process per action: "
        f"{per_process:,.1f} actions/s | {work['with_start'] / per_process:,.0f} times as many | — |",
        f"| 4 | {pack['count']:,} projects in one workspace: `list_projects` (page size 5000) "
        f"vs a 50-per-page walk with bare httpx, each in its own process "
        f"| {_requests(pack['requests'])}, {pack['ms']:.0f} ms, peak RSS {pack['mb']:.0f} MB "
        f"| {_requests(walk['requests'])}, {walk['ms']:.0f} ms, peak RSS {walk['mb']:.0f} MB "
        f"| {walk['requests'] / pack['requests']:.0f} times fewer requests "
        f"| ≤ 3 requests, ≤ 70 MB: {verdict(within_memory)} |",
    ]
    rows += mcp_rows(sizes, results["mcp"])
    rows += celery_rows(sizes, results["celery"])
    rows += floor_rows(results["floors"], results["growth"], sizes.call_rounds)
    rows += cold_floor_rows(
        results["cold floor"], sizes.cold_runs, results["worker floor"], sizes.worker_actions
    )
    steps = [
        "",
        "Where the cold start goes: each step adds one layer of what `run --sandbox` imports "
        "(medians of the same interleaved runs, in ms; `…` is the step above plus this).",
        "",
        "| step | command | median | added |",
        "|---|---|---|---|",
    ]
    previous = 0.0
    named = [(name, command) for name, command, _ in COLD_STEPS]
    named.append(("+ the work", "`clockify-actions run list_workspaces --sandbox`"))
    for name, command in named:
        ms = cold["run" if name == "+ the work" else name]
        steps.append(f"| {name} | {command} | {ms:.1f} | {ms - previous:+.1f} |")
        previous = ms
    pydantic_ms = cold[PYDANTIC_STEP[0]]
    steps += [
        "",
        f"`clockify-actions list` (no Clockify client, no sandbox): {cold['list']:.1f} ms. "
        f"For reference, {PYDANTIC_STEP[1]}, what a run pays only when an answer needs "
        f"pydantic (an error body, an answer the wire table refuses): {pydantic_ms:.1f} ms, "
        f"{pydantic_ms - httpx_import:+.1f} over `import httpx`.",
    ]
    return "\n".join(rows + steps)


def mcp_rows(sizes: Sizes, mcp: dict[str, Any] | None) -> list[str]:
    measure = (
        "MCP server start: `clockify-actions mcp --sandbox` from spawning to its answer to "
        "`tools/list` vs a low-level server of the same SDK with one echo tool"
    )
    if mcp is None:
        return [f"| 5 | {measure} | not measured: the `mcp` extra is not installed | | | |"]
    start, call = mcp["start"], mcp["call"]
    ratio = start["mcp"] / start["echo"]
    floor = call["echo call"] + call["serve line"]
    return [
        f"| 5 | {measure}, median of {sizes.cold_runs} interleaved runs "
        f"| {start['mcp']:.1f} ms | {start['echo']:.1f} ms | ratio {ratio:.2f} "
        f"| ≤ 1.15: {verdict(ratio <= 1.15)} |",
        f'| 5b | of which the SDK\'s own import, `python -c "{SDK_IMPORT}"` '
        f"| {start['sdk']:.1f} ms | {start['echo']:.1f} ms "
        f"| ratio {start['sdk'] / start['echo']:.2f} | — |",
        f"| 5c | MCP per call: `tools/call list_workspaces` once the server runs vs the echo "
        f"server's `tools/call` plus the same action as one `serve --sandbox` line, median "
        f"of {sizes.call_rounds // 4} interleaved calls "
        f"| {call['mcp call']:.0f} µs | {call['echo call']:.0f} + {call['serve line']:.0f} µs "
        f"| ratio {call['mcp call'] / floor:.2f} | ≤ 1.2: {verdict(call['mcp call'] <= 1.2 * floor)} |",
    ]


def tools_list_table(mcp: dict[str, Any] | None) -> str:
    """The characters an agent host is served by `tools/list`, per choice of toolsets,
    with when rows 5 to 5c were measured (`--only-mcp` measures them alone)."""
    if mcp is None:
        return "Not measured: the `mcp` extra is not installed."
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    rows = [
        f"Rows 5 to 5c and this table measured {stamp} on {machine()}.",
        "",
        "| `--toolsets` | tools | `tools/list` answer, characters |",
        "|---|---|---|",
    ]
    for choice, (characters, tools) in mcp["sizes"].items():
        shown = "(default)" if choice == "default" else f"`{choice}`"
        rows.append(f"| {shown} | {tools} | {characters:,} |")
    return "\n".join(rows)


def serve_unpaced(base_url: str) -> None:
    """Runs in a child process: `serve` against the sandbox at `base_url`, not paced to
    Clockify's 50 requests a second, as the Celery workers are not held back in row 6."""
    from clockify_actions.adapters.worker import serve

    defaults = {"api_key": DEMO_API_KEY, "base_url": base_url, "settings": SANDBOX_SETTINGS}
    serve(load_pack(), sys.stdin.buffer, sys.stdout, defaults)


def celery_rows(sizes: Sizes, celery: dict[str, float] | None) -> list[str]:
    measure = (
        f"Celery: {sizes.worker_actions:,} mixed actions (all but the timers) through "
        f"{CELERY_WORKERS} `celery -A clockify_actions.adapters.celery` workers of {CELERY_THREADS} "
        "threads, Redis as broker, results and shared rate limit, against `sandbox serve` on "
        "loopback, once they answer"
    )
    if celery is None:
        return [
            f"| 6 | {measure} | not measured: the `celery` extra or `redis-server` is not "
            "installed | | | |"
        ]
    return [
        f"| 6 | {measure} | {celery['celery']:,.0f} actions/s | one `serve` worker (unpaced), "
        f"the same actions against the same sandbox: {celery['serve']:,.0f} actions/s "
        f"| {celery['celery'] / celery['serve']:.2f} of it | — |"
    ]


def _replace_block(current: str, start: str, end: str, block: str) -> str:
    head, _, rest = current.partition(start)
    _, _, tail = rest.partition(end)
    return head + start + "\n" + block + "\n" + end + tail


def report(text: str, command: str, mcp: dict[str, Any] | None) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    block = f"Measured {stamp} on {machine()}.\nReproduce with `{command}`.\n\n{text}"
    current = REPORT.read_text(encoding="utf-8") if REPORT.is_file() else f"{START}\n{END}\n"
    return _replace_block(
        _replace_block(current, START, END, block), TOOLS_START, TOOLS_END, tools_list_table(mcp)
    )


def mcp_report(sizes: Sizes, mcp: dict[str, Any] | None) -> str:
    """The report with only the MCP rows (5 to 5c) and the tool-list sizes replaced."""
    current = REPORT.read_text(encoding="utf-8")
    head, _, rest = current.partition(START)
    block, _, tail = rest.partition(END)
    lines = block.split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith("| 5"))
    kept = [line for line in lines if not line.startswith("| 5")]
    kept[first:first] = mcp_rows(sizes, mcp)
    updated = head + START + "\n".join(kept) + END + tail
    return _replace_block(updated, TOOLS_START, TOOLS_END, tools_list_table(mcp))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes; write nothing")
    parser.add_argument("--quick", action="store_true", help="the same as --smoke")
    parser.add_argument("--list-projects", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--serve-unpaced", help=argparse.SUPPRESS)
    parser.add_argument(
        "--only-mcp", action="store_true", help="measure and write the MCP rows (5 to 5c) only"
    )
    args = parser.parse_args()
    if args.list_projects:
        list_projects_child(*args.list_projects)
        return 0
    if args.serve_unpaced:
        serve_unpaced(args.serve_unpaced)
        return 0
    args.smoke = args.smoke or args.quick
    sizes = SMOKE if args.smoke else FULL
    directory = Path(tempfile.mkdtemp(prefix="clockify-bench-"))
    if args.only_mcp:
        try:
            progress("5. MCP server")
            mcp = mcp_measures(sizes, child_env(directory))
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        print("\n".join(mcp_rows(sizes, mcp)) + "\n\n" + tools_list_table(mcp))
        if not args.smoke:
            REPORT.write_text(mcp_report(sizes, mcp), encoding="utf-8")
            progress(f"wrote {REPORT}")
        return 0
    try:
        env = child_env(directory)
        progress("1. cold start")
        results: dict[str, Any] = {"cold": cold_start(sizes.cold_runs, env, directory)}
        progress("2. per-call overhead")
        results["call"] = per_call(sizes.call_rounds, directory)
        progress("3. worker throughput")
        results["worker"] = worker(sizes.worker_actions, env)
        results["worker"]["bare"] = bare_requests(sizes.worker_actions, directory)
        progress(f"4. {sizes.projects:,} projects")
        results["big"] = big_workspace(sizes.projects, directory, env)
        progress("5. MCP server")
        results["mcp"] = mcp_measures(sizes, env)
        progress("6. Celery")
        results["celery"] = celery_throughput(sizes.worker_actions, env, directory)
        progress("7. floors and growth, against the canned stand-in")
        results["floors"] = floor_calls(sizes.call_rounds, directory)
        results["cold floor"] = cold_floor(sizes.cold_runs, env, directory)
        results["worker floor"] = worker_floor(sizes.worker_actions, env, directory)
        results["growth"] = growth(
            GROWTH_SMOKE if args.smoke else GROWTH_FULL, 2 if args.smoke else 5, directory
        )
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    text = table(sizes, results)
    print(text + "\n\n" + tools_list_table(results["mcp"]))
    if not args.smoke:
        command = ".venv/bin/python scripts/bench.py"
        REPORT.write_text(report(text, command, results["mcp"]), encoding="utf-8")
        progress(f"wrote {REPORT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
