"""The defaults a caller may leave to the pack: the connection's workspace (an id, or auto
for the user's default one), the key's own user, and local times read in `time_zone` or
the profile's zone. The same in Python, the CLI, `serve` and Celery; what the caller
gives explicitly costs no request."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clockify_actions import Pack
from clockify_actions.adapters.worker import serve
from clockify_actions.clockify import ClientSettings
from clockify_actions.runtime.execution import ClientPool
from clockify_actions.sandbox import (
    DEMO_API_KEY,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    SAMPLE_PROJECT_ID,
    Sandbox,
)

SANDBOX_URL = "http://sandbox.localhost/api/v1"
USER = ("GET", "/api/v1/user")
PROJECTS = ("GET", f"/api/v1/workspaces/{DEMO_WORKSPACE_ID}/projects")
# The sandbox's demo user lives in Europe/Berlin (sandbox/_seed.py).
ENTRY = {"project_id": SAMPLE_PROJECT_ID, "description": "Local"}


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    monkeypatch.delenv("CLOCKIFY_WORKSPACE_ID", raising=False)
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as sandbox:
        yield sandbox


@pytest.fixture
def connection(sandbox: Sandbox) -> dict[str, Any]:
    return {
        "api_key": DEMO_API_KEY,
        "base_url": SANDBOX_URL,
        "transport": sandbox.transport(),
        "settings": ClientSettings(requests_per_second=None),
    }


def sent(sandbox: Sandbox) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in sandbox.request_log()]


# --- the workspace and the user, in Python ---------------------------------------------


def test_auto_asks_for_the_default_workspace_once_per_connection(
    pack: Pack, sandbox: Sandbox, connection: dict[str, Any]
) -> None:
    for _ in range(3):
        result = pack.run("list_projects", {}, workspace_id="auto", **connection)
        assert result["status"] == "success" and result["count"] > 0, result
    assert sent(sandbox) == [USER, PROJECTS, PROJECTS, PROJECTS]


def test_a_workspace_id_setting_costs_no_request(
    pack: Pack, sandbox: Sandbox, connection: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert pack.run("list_projects", {}, workspace_id=DEMO_WORKSPACE_ID, **connection)["count"]
    monkeypatch.setenv("CLOCKIFY_WORKSPACE_ID", DEMO_WORKSPACE_ID)
    assert pack.run("list_projects", {}, **connection)["count"]
    assert sent(sandbox) == [PROJECTS, PROJECTS]


def test_explicit_ids_cost_nothing_and_win_over_the_setting(
    pack: Pack, sandbox: Sandbox, connection: dict[str, Any]
) -> None:
    started = pack.run("start_timer", {"workspace_id": DEMO_WORKSPACE_ID}, **connection)
    assert started["status"] == "success", started
    stopped = pack.run(
        "stop_timer",
        {"workspace_id": DEMO_WORKSPACE_ID, "user_id": DEMO_USER_ID},
        workspace_id="auto",
        **connection,
    )
    assert stopped["id"] == started["id"]
    assert USER not in sent(sandbox)


def test_my_timer_stops_with_no_id_given(
    pack: Pack, sandbox: Sandbox, connection: dict[str, Any]
) -> None:
    started = pack.run("start_timer", {}, workspace_id="auto", **connection)
    stopped = pack.run("stop_timer", {}, workspace_id="auto", **connection)
    assert stopped["status"] == "success", stopped
    assert (stopped["id"], stopped["user_id"]) == (started["id"], DEMO_USER_ID)
    assert sent(sandbox).count(USER) == 1


def test_the_manifests_still_require_what_the_defaults_fill(pack: Pack) -> None:
    assert "workspace_id" in pack.describe("list_projects")["parameters"]["required"]
    assert {"workspace_id", "user_id"} <= set(pack.describe("stop_timer")["parameters"]["required"])


def test_without_a_workspace_setting_the_error_says_how_to_set_one(
    pack: Pack, sandbox: Sandbox, connection: dict[str, Any]
) -> None:
    result = pack.run("create_project", {"name": "Nowhere"}, **connection)
    assert result["error"]["type"] == "validation_error"
    assert "CLOCKIFY_WORKSPACE_ID" in result["error"]["message"]
    assert result["error"]["details"][-1] == {"attempts": 0, "outcome": "not_applied"}
    assert sent(sandbox) == []


def test_a_workspace_setting_that_is_no_id_is_a_config_error(
    pack: Pack, sandbox: Sandbox, connection: dict[str, Any]
) -> None:
    result = pack.run("list_projects", {}, workspace_id="my-workspace", **connection)
    assert result["error"]["type"] == "config_error"
    assert "workspace_id" in result["error"]["message"]
    assert sent(sandbox) == []


def test_invalid_input_sends_nothing_even_with_auto(
    pack: Pack, sandbox: Sandbox, connection: dict[str, Any]
) -> None:
    result = pack.run("create_project", {"name": ""}, workspace_id="auto", **connection)
    assert result["error"]["type"] == "validation_error"
    assert sent(sandbox) == []


def test_a_trigger_takes_the_workspace_setting_too(
    pack: Pack, sandbox: Sandbox, connection: dict[str, Any]
) -> None:
    first = pack.poll("new_project", {}, None, workspace_id="auto", **connection)
    assert first["status"] == "success", first


# --- local times -----------------------------------------------------------------------


def entry(pack: Pack, connection: dict[str, Any], **times: str) -> dict[str, Any]:
    params = {"workspace_id": DEMO_WORKSPACE_ID, **ENTRY, **times}
    return pack.run("create_time_entry", params, **connection)


def test_a_local_time_is_read_in_the_given_zone_without_asking_clockify(
    pack: Pack, sandbox: Sandbox, connection: dict[str, Any]
) -> None:
    result = entry(
        pack,
        connection,
        start="2026-07-01T09:00:00",
        end="2026-07-01T10:30",
        time_zone="America/New_York",
    )
    assert (result["start"], result["end"]) == ("2026-07-01T13:00:00Z", "2026-07-01T14:30:00Z")
    assert USER not in sent(sandbox)


def test_a_local_time_without_a_zone_is_read_in_the_profiles_zone(
    pack: Pack, sandbox: Sandbox, connection: dict[str, Any]
) -> None:
    result = entry(pack, connection, start="2026-01-28T09:00:00", end="2026-01-28T10:00:00")
    assert (result["start"], result["end"]) == ("2026-01-28T08:00:00Z", "2026-01-28T09:00:00Z")
    assert sent(sandbox).count(USER) == 1


def test_times_with_an_offset_need_no_zone_and_no_request(
    pack: Pack, sandbox: Sandbox, connection: dict[str, Any]
) -> None:
    result = entry(pack, connection, start="2026-01-28T09:00:00+01:00")
    assert result["start"] == "2026-01-28T08:00:00Z"
    assert USER not in sent(sandbox)


def test_a_time_the_clocks_skip_is_refused_and_nothing_is_sent(
    pack: Pack, sandbox: Sandbox, connection: dict[str, Any]
) -> None:
    result = entry(pack, connection, start="2026-03-29T02:30:00", time_zone="Europe/Berlin")
    assert result["error"]["type"] == "validation_error"
    assert "does not exist in Europe/Berlin" in result["error"]["message"]
    assert result["error"]["details"][0]["path"] == "/start"
    assert sent(sandbox) == []


def test_a_time_the_clocks_show_twice_is_the_earlier_instant(
    pack: Pack, sandbox: Sandbox, connection: dict[str, Any]
) -> None:
    # 02:30 on 25 October 2026 in Berlin: first on summer time (+02:00), then on +01:00.
    result = entry(pack, connection, start="2026-10-25T02:30:00", time_zone="Europe/Berlin")
    assert result["start"] == "2026-10-25T00:30:00Z"


def test_an_unknown_zone_is_refused_and_nothing_is_sent(
    pack: Pack, sandbox: Sandbox, connection: dict[str, Any]
) -> None:
    result = entry(pack, connection, start="2026-01-28T09:00:00", time_zone="Mars/Olympus")
    assert result["error"]["details"][0]["path"] == "/time_zone"
    assert sent(sandbox) == []


def test_a_report_window_in_local_times_follows_the_profiles_zone(
    pack: Pack, sandbox: Sandbox, connection: dict[str, Any]
) -> None:
    window = {"start": "2026-01-26T00:00:00", "end": "2026-02-02T00:00:00"}
    result = pack.run("summary_report", window, workspace_id="auto", **connection)
    assert result["status"] == "success", result
    assert (result["start"], result["time_zone"]) == ("2026-01-25T23:00:00Z", "Europe/Berlin")
    assert sent(sandbox).count(USER) == 1


def test_a_list_window_in_local_times_is_exact(
    pack: Pack, sandbox: Sandbox, connection: dict[str, Any]
) -> None:
    made = entry(pack, connection, start="2026-05-04T23:30:00Z", end="2026-05-05T00:30:00Z")
    day = {"start": "2026-05-05T00:00:00", "end": "2026-05-06T00:00:00", "time_zone": "UTC"}
    listed = pack.run("list_time_entries", day, workspace_id="auto", **connection)
    assert listed["time_entries"] == []
    berlin = {**day, "time_zone": "Europe/Berlin"}
    listed = pack.run("list_time_entries", berlin, workspace_id="auto", **connection)
    assert [e["id"] for e in listed["time_entries"]] == [made["id"]]


# --- the other faces: CLI, serve, Celery -----------------------------------------------


def cli(db: Path, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLOCKIFY_")}
    environment["CLOCKIFY_SANDBOX_DB"] = str(db)
    result = subprocess.run(
        [sys.executable, "-m", "clockify_actions", *args, "--sandbox"],
        capture_output=True,
        text=True,
        env={**environment, **(env or {})},
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_the_cli_takes_the_workspace_as_an_option_or_from_the_environment(
    tmp_path: Path,
) -> None:
    db = tmp_path / "sandbox.sqlite3"
    started = cli(db, "run", "start_timer", "--workspace", "auto")
    assert started["status"] == "success", started
    stopped = cli(db, "run", "stop_timer", env={"CLOCKIFY_WORKSPACE_ID": DEMO_WORKSPACE_ID})
    assert stopped["id"] == started["id"]
    listed = cli(db, "run", "list_projects", "--workspace", DEMO_WORKSPACE_ID)
    assert listed["count"] > 0
    with Sandbox.open(db) as sandbox:
        # auto asked once; the id given by option or environment asked nothing; stop_timer
        # asked for its user (each CLI run is a process of its own).
        assert sent(sandbox).count(USER) == 2


def test_serve_takes_the_workspace_from_its_start_or_from_each_line(
    pack: Pack, sandbox: Sandbox, connection: dict[str, Any]
) -> None:
    lines = [
        {"id": 1, "action": "list_projects", "input": {}},
        {"id": 2, "action": "list_projects", "input": {}, "connection": {"workspace_id": "auto"}},
        {"id": 3, "action": "list_projects", "input": {}, "connection": {"workspace_id": "x"}},
        {"id": 4, "action": "list_projects", "input": {}, "connection": {"workspace_id": "auto"}},
    ]
    out = io.StringIO()
    stdin = io.BytesIO(b"".join(json.dumps(line).encode() + b"\n" for line in lines))
    assert serve(pack, stdin, out, {**connection, "workspace_id": DEMO_WORKSPACE_ID}) == 0
    answers = [json.loads(line)["envelope"] for line in out.getvalue().splitlines()]
    assert [a["status"] for a in answers] == ["success", "success", "error", "success"]
    assert answers[2]["error"]["type"] == "config_error"
    assert sent(sandbox) == [PROJECTS, USER, PROJECTS, PROJECTS]


def test_python_callers_share_the_profile_through_a_client_pool_too(
    pack: Pack, sandbox: Sandbox, connection: dict[str, Any]
) -> None:
    pool = ClientPool()
    try:
        for _ in range(2):
            assert pack.run("stop_timer", {}, workspace_id="auto", clients=pool, **connection)
    finally:
        pool.close()
    assert sent(sandbox).count(USER) == 1


@pytest.mark.parametrize(
    "command", ["run list_projects", "poll new_project --state s", "serve", "mcp"]
)
def test_every_command_that_connects_takes_the_workspace_option(command: str) -> None:
    from clockify_actions.adapters.cli.connection import connection_options
    from clockify_actions.adapters.cli.parser import build_parser

    arguments = [*command.split(), "--workspace", "auto"]
    assert (
        connection_options(build_parser(arguments).parse_args(arguments))["workspace_id"] == "auto"
    )
