"""1. Cold start: the CLI's first run against a fresh process doing the same with bare httpx."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import BARE_GET, RUN_ARGUMENTS, cli_command, median_ms, progress
from clockify_actions.sandbox import DEMO_API_KEY, Sandbox

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
        " clockify_actions.resources.workspaces.wire, clockify_actions.adapters.cli,"
        " clockify_actions.runtime",
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
