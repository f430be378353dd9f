"""7. Floors: seed actions per call, cold starts and the worker against the canned
stand-in of `scripts/standin.py`, beside a bare `httpx.Client`."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import BARE_GET, BENCH, cli_command, median_ms, progress, verdict
from benchmarks.growth import STANDIN_SETTINGS
from benchmarks.workers import worker
from clockify_actions.adapters.cli import SANDBOX_BASE_URL
from clockify_actions.runtime import ClientPool, load_pack
from clockify_actions.sandbox import (
    DEMO_API_KEY,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    SAMPLE_PROJECT_ID,
)


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
        command = [sys.executable, str(BENCH), "--serve-unpaced", root]
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
