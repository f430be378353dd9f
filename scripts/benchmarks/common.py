"""What every measure shares: the sizes, the report's place, the child processes'
command and environment."""

from __future__ import annotations

import os
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

from clockify_actions.clockify import ClientSettings
from clockify_actions.sandbox import DB_ENV_VAR

ROOT = Path(__file__).resolve().parents[2]
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


# The benchmark itself, which some measures run again as a child process.
BENCH = ROOT / "scripts" / "bench.py"


def verdict(met: bool) -> str:
    return "met" if met else "**missed**"
