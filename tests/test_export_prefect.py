"""The exported Prefect tasks run a flow against the sandbox; a retryable failure makes
Prefect try the task again, and any other fails it at once."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from prefect import flow
from prefect.testing.utilities import prefect_test_harness

from clockify_actions.adapters.export import export
from clockify_actions.clockify import ClientSettings
from clockify_actions.runtime import Pack, load_pack
from clockify_actions.sandbox import (
    DEMO_API_KEY,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    FAULTS_ENV_VAR,
    Sandbox,
)

# Prefect's test harness starts a server of its own: many seconds.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("prefect")]


@pytest.fixture(scope="module", autouse=True)
def prefect_server() -> Iterator[None]:
    # Prefect's own 30 s for its server to start is too short on two busy cores; a server
    # that never starts still fails, after the bound.
    with prefect_test_harness(server_startup_timeout=300):
        yield


class CountingPack:
    """The pack, counting the runs Prefect asks of it."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.runs: list[str] = []

    def run(self, name: str, params: Any, **connection: Any) -> dict[str, Any]:
        self.runs.append(name)
        return self.pack.run(name, params, **connection)


@pytest.fixture
def tasks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """The exported module, on a fresh sandbox, with the pack's own retries off (one
    attempt a run) and Prefect's without delay."""
    monkeypatch.setenv("CLOCKIFY_RETRY_MAX_ATTEMPTS", "1")
    export(load_pack(), "prefect", tmp_path / "exported")
    spec = importlib.util.spec_from_file_location(
        "clockify_tasks", tmp_path / "exported" / "clockify_tasks.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as sandbox:
        module.CONNECTION.update(
            api_key=DEMO_API_KEY,
            base_url="http://sandbox.localhost/api/v1",
            transport=sandbox.transport(),
            settings=ClientSettings(requests_per_second=None),
        )
        vars(module)["PACK"] = CountingPack(module.PACK)
        for name in module.PACK.pack.actions:
            getattr(module, name).retry_delay_seconds = 0
        yield module


def test_a_flow_of_exported_tasks_runs_against_the_sandbox(tasks: ModuleType) -> None:
    @flow
    def start_and_stop() -> tuple[dict[str, Any], dict[str, Any]]:
        started = tasks.start_timer(DEMO_WORKSPACE_ID, description="Exported flow")
        stopped = tasks.stop_timer(DEMO_WORKSPACE_ID, DEMO_USER_ID)
        return started, stopped

    started, stopped = start_and_stop()
    assert started["status"] == stopped["status"] == "success"
    assert started["description"] == "Exported flow"
    assert stopped["id"] == started["id"] and stopped["end"] is not None
    assert tasks.PACK.runs == ["start_timer", "stop_timer"]


def test_a_retryable_failure_is_retried_by_prefect(
    tasks: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Clockify answers 503 once, then as usual.
    fault = {"action": "status", "when": "before", "method": "GET", "path": "/user", "status": 503}
    monkeypatch.setenv(FAULTS_ENV_VAR, json.dumps([fault]))
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as sandbox:
        tasks.CONNECTION["transport"] = sandbox.transport()

        @flow
        def who() -> dict[str, Any]:
            result: dict[str, Any] = tasks.get_current_user()
            return result

        assert who()["status"] == "success"
    assert tasks.PACK.runs == ["get_current_user", "get_current_user"]


def test_a_failure_that_is_not_retryable_fails_at_once(tasks: ModuleType) -> None:
    @flow
    def missing() -> dict[str, Any]:
        result: dict[str, Any] = tasks.get_workspace("0" * 24)
        return result

    with pytest.raises(tasks.ActionFailed) as failed:
        missing()
    assert failed.value.envelope["error"]["retryable"] is False
    assert tasks.PACK.runs == ["get_workspace"]
