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

Each measure is a module of `scripts/benchmarks/`, named after it, and the table is
written by `benchmarks/report.py`; this script runs them in order.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.big import big_workspace, list_projects_child
from benchmarks.calls import per_call
from benchmarks.celery_workers import celery_throughput
from benchmarks.common import FULL, REPORT, SMOKE, child_env, progress
from benchmarks.floors import cold_floor, floor_calls, worker_floor
from benchmarks.growth import GROWTH_FULL, GROWTH_SMOKE, growth
from benchmarks.mcp_server import mcp_measures
from benchmarks.report import mcp_report, mcp_rows, report, table, tools_list_table
from benchmarks.startup import cold_start
from benchmarks.workers import bare_requests, serve_unpaced, worker


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
