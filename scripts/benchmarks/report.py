"""The report: the table of every measure, and its place in BENCHMARKS.md."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.celery_workers import CELERY_THREADS, CELERY_WORKERS
from benchmarks.common import END, REPORT, START, TOOLS_END, TOOLS_START, Sizes, verdict
from benchmarks.floors import cold_floor_rows, floor_rows
from benchmarks.mcp_server import SDK_IMPORT
from benchmarks.startup import COLD_STEPS, PYDANTIC_STEP


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
