"""The pack on Celery at scale, end to end on loopback: a real `redis-server`, `sandbox
serve` as Clockify with two users' keys, and two Celery worker processes.

The limit is 50 requests per second per key, Clockify's own: 2,000 single-request actions
over two keys then take a little over 20 s (a token comes back a second after its request
is over), which keeps the whole test under a minute on two busy cores, while two workers
of eight threads each would pass that limit several times over if nothing held them back.
"""

from __future__ import annotations

import signal
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from celery_cluster import redis_server, sandbox_server, workers
from clockify_actions.adapters.celery import RUN_ACTION, make_app
from clockify_actions.sandbox import (
    DEMO_API_KEY,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    FOREIGN_PROJECT_ID,
    FOREIGN_WORKSPACE_ID,
    OTHER_API_KEY,
    OTHER_USER_ID,
    SAMPLE_PROJECT_ID,
    Sandbox,
)
from clockify_actions.sandbox.traffic import Traffic, key_digest, read_traffic

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("celery-scale")]

LIMIT = 50  # requests per second per key
VISIBILITY_TIMEOUT = 4  # seconds before a dead worker's tasks are given to another
TASKS = 2000
KILL_RUN_TASKS = 400
# Bounds on waiting, far above what a run takes, so that a broken run fails instead of hanging.
RESULT_TIMEOUT = 120.0

# Each user: the variable naming their key on the workers, their workspace and project.
USERS = {
    "CLOCKIFY_DEMO_API_KEY": (DEMO_API_KEY, DEMO_USER_ID, DEMO_WORKSPACE_ID, SAMPLE_PROJECT_ID),
    "CLOCKIFY_OTHER_API_KEY": (
        OTHER_API_KEY,
        OTHER_USER_ID,
        FOREIGN_WORKSPACE_ID,
        FOREIGN_PROJECT_ID,
    ),
}


class Cluster:
    def __init__(self, folder: Path, redis_url: str, base_url: str) -> None:
        self.folder = folder
        self.base_url = base_url
        self.traffic = folder / "traffic.jsonl"
        self.environ = {
            "CELERY_BROKER_URL": redis_url,
            "CELERY_RESULT_BACKEND": redis_url,
            "CLOCKIFY_BASE_URL": base_url,
            "CLOCKIFY_RATE_LIMIT": f"{LIMIT}/s",
            "CLOCKIFY_CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            **{name: user[0] for name, user in USERS.items()},
        }
        self.app = make_app(self.environ)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    with (
        redis_server(tmp_path) as redis_url,
        sandbox_server(tmp_path / "sandbox.sqlite3", tmp_path / "traffic.jsonl") as base_url,
    ):
        yield Cluster(tmp_path, redis_url, base_url)


def task(n: int, tag: str) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """The n-th of a mix of reads and writes, alternating between the two keys."""
    key_env = list(USERS)[n % 2]
    _, _, workspace, project = USERS[key_env]
    connection = {"api_key_env": key_env}
    kind = (n // 2) % 4
    if kind == 0:
        return "list_workspaces", {}, connection
    if kind == 1:
        return "get_current_user", {}, connection
    if kind == 2:
        return "list_projects", {"workspace_id": workspace}, connection
    minute = n % 600
    entry = {
        "workspace_id": workspace,
        "project_id": project,
        "description": f"{tag} {n}",
        "start": f"2026-01-{1 + n // 600 % 28:02d}T{minute // 60:02d}:{minute % 60:02d}:00Z",
        "end": f"2026-01-{1 + n // 600 % 28:02d}T{minute // 60:02d}:{minute % 60:02d}:30Z",
    }
    return "create_time_entry", entry, connection


def submit(cluster: Cluster, count: int, tag: str) -> list[tuple[str, dict[str, Any], Any]]:
    return [
        (action, params, cluster.app.send_task(RUN_ACTION, args=[action, params, connection]))
        for action, params, connection in (task(n, tag) for n in range(count))
    ]


def envelopes(submitted: list[tuple[str, dict[str, Any], Any]]) -> list[dict[str, Any]]:
    give_up = time.monotonic() + RESULT_TIMEOUT
    return [result.get(timeout=max(0.1, give_up - time.monotonic())) for _, _, result in submitted]


def envelopes_after_a_kill(
    submitted: list[tuple[str, dict[str, Any], Any]],
) -> list[dict[str, Any] | None]:
    """Every result, or None for the one task Redis may lose with the killed worker.

    kombu's Redis transport pops a task (BRPOP) and only then records it as unacknowledged,
    so a worker killed between the two takes that one task with it: it never ran, and no
    other worker is given it. Each result is waited for until all but one have arrived and
    the visibility timeout has passed several times over (restores run every 10 s)."""
    give_up = time.monotonic() + RESULT_TIMEOUT
    results: list[dict[str, Any] | None] = [None] * len(submitted)
    while True:
        missing = [i for i, result in enumerate(results) if result is None]
        for i in missing:
            result = submitted[i][2]
            if result.ready():
                results[i] = result.get(timeout=1)
        missing = [i for i, result in enumerate(results) if result is None]
        if not missing:
            return results
        if len(missing) == 1 and time.monotonic() > give_up - RESULT_TIMEOUT / 2:
            return results
        assert time.monotonic() < give_up, f"{len(missing)} results never came"
        time.sleep(0.2)


def busiest_second(traffic: list[Traffic]) -> dict[str | None, int]:
    """For each key, the most requests the sandbox received within any one second."""
    times: dict[str | None, list[float]] = defaultdict(list)
    for request in traffic:
        times[request.key].append(request.at)
    most: dict[str | None, int] = {}
    for key, moments in times.items():
        moments.sort()
        start = 0
        for end, moment in enumerate(moments):
            while moment - moments[start] >= 1.0:
                start += 1
            most[key] = max(most.get(key, 0), end - start + 1)
    return most


def entries_by_description(cluster: Cluster, tag: str) -> Counter[str]:
    """How many time entries each description written by a run tagged `tag` has."""
    with Sandbox.open(cluster.folder / "sandbox.sqlite3") as sandbox:
        return Counter(
            entry["description"]
            for _, (_, user, workspace, _) in USERS.items()
            for entry in sandbox.time_entries(workspace, user)
            if entry["description"].startswith(f"{tag} ")
        )


def test_two_workers_keep_one_limit_per_key_and_never_write_twice(cluster: Cluster) -> None:
    with workers(2, cluster.environ, cluster.folder) as (first, _):
        submitted = submit(cluster, TASKS, "steady")
        results = envelopes(submitted)

        failures = [r for r in results if r["status"] != "success"]
        assert failures == [], failures[:3]
        traffic = read_traffic(cluster.traffic)
        assert len(traffic) == TASKS
        busiest = busiest_second(traffic)
        assert set(busiest) == {key_digest(DEMO_API_KEY), key_digest(OTHER_API_KEY)}
        assert max(busiest.values()) <= LIMIT, busiest
        writes = [
            params["description"] for action, params, _ in submitted if "description" in params
        ]
        assert entries_by_description(cluster, "steady") == Counter(writes)

        # A second run, and one worker killed outright in the middle of it. Clockify
        # answers each write half a second after applying it, so that the kill finds
        # writes that were applied and not yet acknowledged.
        cluster.traffic.write_bytes(b"")
        with Sandbox.open(cluster.folder / "sandbox.sqlite3") as sandbox:
            sandbox.add_fault(
                action="delay", when="after", method="POST", path="**", times=None, seconds=0.5
            )
        submitted = submit(cluster, KILL_RUN_TASKS, "killed")
        give_up = time.monotonic() + RESULT_TIMEOUT
        while len(read_traffic(cluster.traffic)) < KILL_RUN_TASKS // 3:
            assert time.monotonic() < give_up, "the second run never got going"
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait()
        arrived = envelopes_after_a_kill(submitted)

    written = entries_by_description(cluster, "killed")
    # The task the broker lost with the killed worker, if any, never ran: nothing written.
    lost = [
        (action, params)
        for (action, params, _), r in zip(submitted, arrived, strict=True)
        if r is None
    ]
    assert len(lost) <= 1, lost
    assert all(written[params.get("description", "")] == 0 for _, params in lost), lost
    outcomes = [(task, r) for task, r in zip(submitted, arrived, strict=True) if r is not None]
    reads = [r for (action, _, _), r in outcomes if action != "create_time_entry"]
    assert all(r["status"] == "success" for r in reads), [
        r for r in reads if r["status"] != "success"
    ][:3]
    unknown = 0
    for (action, params, _), envelope in outcomes:
        if action != "create_time_entry":
            continue
        count = written[params["description"]]
        if envelope["status"] == "success":
            assert count == 1, (params, envelope)
        else:
            # Redelivered after the kill, when it may have been sent: reported, not resent.
            assert envelope["error"]["details"][-1]["outcome"] == "unknown", envelope
            assert count <= 1, params
            unknown += 1
    # Writes take half a second each: the kill always finds some on their way.
    assert unknown > 0
    assert max(written.values()) == 1
    assert max(busiest_second(read_traffic(cluster.traffic)).values()) <= LIMIT
