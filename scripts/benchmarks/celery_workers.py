"""6. Celery: mixed actions through two workers against `sandbox serve`, beside one
`serve` worker."""

from __future__ import annotations

import importlib.util
import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import BENCH, cli_command, progress
from benchmarks.workers import mixed_requests, worker
from clockify_actions.sandbox import DEMO_API_KEY

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
        one = worker(count, env, [sys.executable, str(BENCH), "--serve-unpaced", base_url], again)
        return {"celery": count / (finished - started), "serve": one["steady"]}
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait()
