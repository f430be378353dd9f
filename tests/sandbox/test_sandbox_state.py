"""The state file: persistence, reset, deterministic ids, concurrency and speed.

Every client here checks the bodies it gets as the `connect` fixture does, except in the
timed tests, where checking would be most of what is timed, and in the writer processes of
the concurrency test, whose creates are the ones the API tests check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import platformdirs
import pytest

from clockify_actions.sandbox import (
    DB_ENV_VAR,
    DEMO_API_KEY,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    SECOND_WORKSPACE_ID,
    Sandbox,
    default_db_path,
)

from .sandbox_testkit import ROOT, SpecChecker, checked_client

WS = f"/workspaces/{DEMO_WORKSPACE_ID}"
FROZEN = datetime(2025, 6, 1, 12, 0, 0, tzinfo=UTC)


def client(sandbox: Sandbox, checker: SpecChecker | None) -> httpx.Client:
    return checked_client(
        checker,
        transport=sandbox.transport(),
        base_url="https://api.clockify.me/api/v1",
        headers={"X-Api-Key": DEMO_API_KEY},
    )


def test_state_persists_across_opens(tmp_path: Path, spec_checker: SpecChecker | None) -> None:
    path = tmp_path / "nested" / "state.sqlite3"
    with Sandbox.open(path) as sandbox:
        sandbox.set_time(FROZEN)
        sandbox.configure(auto_stop=False, rate_limit="free")
        sandbox.add_fault(action="drop", when="after", path="/nowhere")
        project = (
            client(sandbox, spec_checker).post(f"{WS}/projects", json={"name": "Apollo"}).json()
        )
    with Sandbox.open(path) as reopened:
        assert project in reopened.projects(DEMO_WORKSPACE_ID)
        assert reopened.now() == FROZEN
        config = reopened.configure()
        assert (config.auto_stop, config.rate_limit, config.frozen_time) == (False, "free", FROZEN)
        assert [fault.path for fault in reopened.faults()] == ["/nowhere"]
        assert len(reopened.request_log()) == 1


def test_reset_restores_the_seed(sandbox: Sandbox, spec_checker: SpecChecker | None) -> None:
    seeded = sandbox.projects(DEMO_WORKSPACE_ID)
    sandbox.set_time(FROZEN)
    sandbox.configure(auto_stop=False)
    sandbox.add_fault(action="drop", when="after", path="/nowhere")
    client(sandbox, spec_checker).post(f"{WS}/projects", json={"name": "Apollo"})
    sandbox.reset()
    assert sandbox.projects(DEMO_WORKSPACE_ID) == seeded
    assert sandbox.configure().frozen_time is None and sandbox.configure().auto_stop
    assert sandbox.faults() == [] and sandbox.request_log() == []


def make_records(path: Path, checker: SpecChecker | None) -> list[str]:
    with Sandbox.open(path) as sandbox:
        sandbox.set_time(FROZEN)
        api = client(sandbox, checker)
        return [
            api.post(f"{WS}/projects", json={"name": "Apollo"}).json()["id"],
            api.post(f"{WS}/time-entries", json={"start": "2025-06-01T09:00:00Z"}).json()["id"],
            *sandbox.seed_projects(SECOND_WORKSPACE_ID, 2),
        ]


def test_ids_are_deterministic_with_a_frozen_clock(
    tmp_path: Path, spec_checker: SpecChecker | None
) -> None:
    first = make_records(tmp_path / "one.sqlite3", spec_checker)
    assert first == make_records(tmp_path / "two.sqlite3", spec_checker)
    assert len(set(first)) == 4
    assert all(id_.startswith(f"{int(FROZEN.timestamp()):08x}") for id_ in first)
    # A reset starts the count again.
    with Sandbox.open(tmp_path / "one.sqlite3") as sandbox:
        sandbox.reset()
    assert make_records(tmp_path / "one.sqlite3", spec_checker) == first


def test_default_db_path_honours_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DB_ENV_VAR, "/somewhere/sandbox.db")
    assert default_db_path() == Path("/somewhere/sandbox.db")
    monkeypatch.delenv(DB_ENV_VAR)
    expected = platformdirs.user_data_path("clockify-actions") / "sandbox.sqlite3"
    assert default_db_path() == expected


_WRITER = """
import json, sys, time
import httpx
from clockify_actions.sandbox import DEMO_API_KEY, DEMO_USER_ID, DEMO_WORKSPACE_ID, Sandbox
path, worker, go = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
time.sleep(max(0.0, go - time.time()))  # all start together, once all have imported
with Sandbox.open(path) as sandbox:
    api = httpx.Client(transport=sandbox.transport(), base_url="http://sandbox/api/v1",
                       headers={"X-Api-Key": DEMO_API_KEY})
    ws = f"/workspaces/{DEMO_WORKSPACE_ID}"
    statuses = []
    for n in range(25):
        if n % 5 == 4:
            response = api.post(f"{ws}/user/{DEMO_USER_ID}/time-entries", json={
                "start": f"2025-01-01T{worker:02d}:{n:02d}:00Z",
                "end": f"2025-01-01T{worker:02d}:{n:02d}:30Z"})
        else:
            response = api.post(f"{ws}/projects", json={"name": f"w{worker}-{n}"})
        statuses.append(response.status_code)
print(json.dumps(statuses))
"""


def test_concurrent_processes_lose_no_write(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"  # new: the processes also race to create it
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    go = time.time() + 1.5
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), str(n), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        for n in range(8)
    ]
    results = [worker.communicate(timeout=60) for worker in workers]
    assert [worker.returncode for worker in workers] == [0] * 8, [err for _, err in results]
    assert all(json.loads(out) == [201] * 25 for out, _ in results)
    with Sandbox.open(path) as sandbox:
        assert len(sandbox.projects(DEMO_WORKSPACE_ID)) == 3 + 8 * 20
        assert len(sandbox.time_entries(DEMO_WORKSPACE_ID, DEMO_USER_ID)) == 1 + 8 * 5
        assert len(sandbox.request_log()) == 8 * 25


def test_in_process_transport_serves_over_1000_requests_a_second(sandbox: Sandbox) -> None:
    api = client(sandbox, None)  # timed
    api.get("/user")
    # CPU time, not wall time: what the sandbox costs, whatever else shares the cores
    # (the suite runs in parallel, on shared machines).
    began = time.process_time()
    for _ in range(1000):
        api.get(f"{WS}/projects/{'64b7c0de5eed000000000d01'}")
    assert time.process_time() - began < 1.0


def test_ten_thousand_projects_list_quickly_at_page_size_5000(sandbox: Sandbox) -> None:
    ids = sandbox.seed_projects(SECOND_WORKSPACE_ID, 10_000)
    assert len(set(ids)) == 10_000
    api = client(sandbox, None)  # timed
    began = time.process_time()  # CPU time, as above
    pages = [
        api.get(
            f"/workspaces/{SECOND_WORKSPACE_ID}/projects", params={"page-size": 5000, "page": n}
        )
        for n in (1, 2, 3)
    ]
    assert time.process_time() - began < 1.0
    assert [len(page.json()) for page in pages] == [5000, 5000, 1]
    assert [page.headers["Last-Page"] for page in pages] == ["false", "false", "true"]
    assert pages[0].json()[0]["name"] == "Project 000001"


def test_seed_projects_needs_a_known_workspace(sandbox: Sandbox) -> None:
    with pytest.raises(ValueError, match="no workspace"):
        sandbox.seed_projects("0" * 24, 1)


def test_demo_user_is_seeded_with_its_key(
    sandbox: Sandbox, spec_checker: SpecChecker | None
) -> None:
    assert client(sandbox, spec_checker).get("/user").json()["id"] == DEMO_USER_ID
