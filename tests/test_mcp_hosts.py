"""`clockify-actions mcp` tried as its users would: through the TypeScript SDK's client
(what most desktop and IDE hosts are built on, and which checks every structured result
against the tool's outputSchema), the MCP Inspector's CLI, and the official Python client.

Every Clockify failure of the suite's error table, and every invalid id, reaches the agent
as a tool error whose only content is the pack's envelope as text: the pack's own message
followed by what to do next, naming the tool to call. The npm packages are installed once
per session into a temporary folder (npm's own cache makes later sessions quick); without
npm these tests fail: a host's view of the server is not optional."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp import ClientSession

from clockify_actions import Pack, load_pack
from clockify_actions.adapters.mcp import DEFAULT_TOOLSETS, ENABLE_TOOLSET, toolsets
from clockify_actions.runtime import ClientPool
from clockify_actions.sandbox import DB_ENV_VAR, DEMO_USER_ID, DEMO_WORKSPACE_ID
from loopback import serving
from test_errors import CLOCKIFY_4XX, CLOCKIFY_4XX_IDS
from test_mcp import _drive

TS_SDK = "@modelcontextprotocol/sdk@1.32.2"
INSPECTOR = "@modelcontextprotocol/inspector@2.12.0"
# The Inspector 2 needs Node 22.19 or later, which the machine's node may not be: the
# registry's `node` package brings one, used for the Inspector alone.
INSPECTOR_NODE = "node@22"
NPM_PACKAGES = (TS_SDK, INSPECTOR, INSPECTOR_NODE)
CLIENT_SCRIPT = Path(__file__).with_name("mcp_ts_client.mjs")
API_KEY = "hosts-test-key-5c1d"
NOT_AN_ID = "not-an-id"
# What the next step must name for a failure about a parameter: the tool giving its ids.
FINDERS = {"workspace_id": "list_workspaces", "project_id": "find_project"}

PACK = load_pack()
ACTIONS = list(PACK.actions)
# One worker runs them all, so that the npm packages are installed once per session.
pytestmark = pytest.mark.xdist_group("npm-mcp")


@pytest.fixture(scope="session")
def npm_clients(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the TypeScript SDK, the Inspector and the client script, installed
    once for the session."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is needed to try the MCP server as TypeScript hosts use it")
    folder = tmp_path_factory.mktemp("npm-mcp")
    subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--loglevel=error", *NPM_PACKAGES],
        cwd=folder,
        check=True,
        capture_output=True,
        timeout=600,
    )
    shutil.copy(CLIENT_SCRIPT, folder / CLIENT_SCRIPT.name)
    return folder


def _server_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "clockify_actions", "mcp", *args]


def _ts_client(folder: Path, plan: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan))
    finished = subprocess.run(
        ["node", str(folder / CLIENT_SCRIPT.name), str(plan_file)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert finished.returncode == 0, finished.stderr
    result: dict[str, Any] = json.loads(finished.stdout)
    return result


# --- Clockify failing, served on loopback -----------------------------------------------------


def _answering(answers: list[tuple[int, dict[str, Any]]]) -> Any:
    """Answer each request with the next of `answers`, in order (a 4xx is never retried:
    one request per call)."""
    taken = threading.Lock()

    def behaviour(connection: socket.socket, head: bytes) -> None:
        length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
        unread = (int(length.group(1)) if length else 0) - len(head.partition(b"\r\n\r\n")[2])
        while unread > 0:
            unread -= len(connection.recv(65536)) or unread
        with taken:
            status, body = answers.pop(0)
        data = json.dumps(body).encode()
        connection.sendall(
            f"HTTP/1.1 {status} Answer\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n".encode()
            + data
        )

    return behaviour


Call = tuple[str, dict[str, Any], str]  # tool, arguments, the case it shows


def _calls() -> list[Call]:
    """Every tool with an invalid workspace_id (nothing is sent), then every tool with its
    example input, once for each Clockify failure of the error table."""
    invalid = [
        (name, {**PACK.actions[name].examples[0]["input"], "workspace_id": NOT_AN_ID}, "invalid")
        for name in ACTIONS
        if "workspace_id" in PACK.describe(name)["parameters"]["properties"]
    ]
    failing = [
        (name, PACK.actions[name].examples[0]["input"], case)
        for case in CLOCKIFY_4XX_IDS
        for name in ACTIONS
    ]
    return invalid + failing


@pytest.fixture(scope="module")
def expected() -> list[dict[str, Any]]:
    """What `Pack.run` itself returns for each call, against the same answers."""
    answers = [answer for case, answer in _answers_by_case().items() for _ in ACTIONS]
    with serving(_answering(answers)) as (url, _):
        clients = ClientPool()
        try:
            return [
                PACK.run(name, arguments, api_key=API_KEY, base_url=url, clients=clients)
                for name, arguments, _ in _calls()
            ]
        finally:
            clients.close()


def _answers_by_case() -> dict[str, tuple[int, dict[str, Any]]]:
    return {
        case: (status, body)
        for case, (status, body, _) in zip(CLOCKIFY_4XX_IDS, CLOCKIFY_4XX, strict=True)
    }


@pytest.fixture
def failing_clockify() -> Iterator[str]:
    answers = [answer for answer in _answers_by_case().values() for _ in ACTIONS]
    with serving(_answering(answers)) as (url, _):
        yield url
    assert answers == [], "every call made exactly its one request"


def _assert_told(call: Call, told: dict[str, Any], expected: dict[str, Any]) -> None:
    """A failed call as the agent gets it: a tool error, its only content the envelope as
    text, with the pack's message and then a next step."""
    name, _, case = call
    assert told.get("isError") is True, (call, told)
    assert told.get("structuredContent") is None, call
    (content,) = told["content"]
    assert content["type"] == "text"
    envelope = json.loads(content["text"])
    error, pack_error = envelope["error"], expected["error"]
    assert {**error, "message": ""} == {**pack_error, "message": ""}, call
    assert error["message"].startswith(pack_error["message"]), call
    step = error["message"][len(pack_error["message"]) :].strip()
    assert step.endswith("."), (call, step)
    parameters = PACK.describe(name)["parameters"]["properties"]
    pointed = {
        "invalid": "workspace_id",
        "forbidden": "workspace_id",
        "doesnt-belong": "project_id",
    }.get(case)
    if pointed in parameters:
        assert f"Call {FINDERS[pointed]} to get a valid {pointed}" in step, (call, step)
        assert f"then call {name} again" in step, (call, step)
    elif case in ("bad-key", "no-key"):
        assert "CLOCKIFY_API_KEY" in step
    else:
        assert len(step) > 10, (call, step)


def _server_args(url: str) -> list[str]:
    return ["--toolsets", "all", "--base-url", url]


def test_every_failure_reaches_the_typescript_client_as_text_with_a_next_step(
    npm_clients: Path, failing_clockify: str, expected: list[dict[str, Any]], tmp_path: Path
) -> None:
    calls = _calls()
    plan = {
        "command": sys.executable,
        "args": _server_command(*_server_args(failing_clockify))[1:],
        "env": {"CLOCKIFY_API_KEY": API_KEY},
        "calls": [{"name": name, "arguments": arguments} for name, arguments, _ in calls],
    }
    results = _ts_client(npm_clients, plan, tmp_path)["results"]
    assert [r.get("thrown") for r in results] == [None] * len(calls), "no client-side error"
    for call, result, pack_result in zip(calls, results, expected, strict=True):
        _assert_told(call, result["result"], pack_result)


def test_every_failure_reaches_the_python_client_as_text_with_a_next_step(
    failing_clockify: str, expected: list[dict[str, Any]], tmp_path: Path
) -> None:
    calls = _calls()
    told: list[dict[str, Any]] = []

    async def scenario(session: ClientSession) -> None:
        await session.list_tools()
        for name, arguments, _ in calls:
            result = await session.call_tool(name, arguments)
            told.append(result.model_dump(mode="json", by_alias=True))

    _drive(
        tmp_path / "unused.sqlite3",
        scenario,
        *_server_args(failing_clockify),
        env={"CLOCKIFY_API_KEY": API_KEY},
    )
    for call, result, pack_result in zip(calls, told, expected, strict=True):
        _assert_told(call, result, pack_result)


# --- a session on the sandbox, as a TypeScript host runs it ------------------------------------


def test_a_typescript_host_gets_every_success_checked_and_more_tools_on_demand(
    npm_clients: Path, tmp_path: Path, pack: Pack
) -> None:
    workspace = {"workspace_id": DEMO_WORKSPACE_ID}
    timer = {**workspace, "user_id": DEMO_USER_ID}
    calls = [
        ("list_workspaces", {}),
        ("get_current_user", {}),
        ("start_timer", {**workspace, "description": "From a TypeScript host"}),
        ("stop_timer", timer),
        # The workspace and the user left out: the server's defaults, the user's own.
        ("start_timer", {"description": "In my workspace"}),
        ("stop_timer", {}),
        ("stop_timer", {}),  # no timer runs any more: a tool error, not a schema error
        ("list_tags", workspace),  # not served yet
        (ENABLE_TOOLSET, {"toolset": "catalog"}),
        ("list_tags", workspace),
        ("list_projects", workspace),
    ]
    plan = {
        "command": sys.executable,
        "args": _server_command("--sandbox")[1:],
        "env": {DB_ENV_VAR: str(tmp_path / "sandbox.sqlite3")},
        "calls": [{"name": name, "arguments": arguments} for name, arguments in calls],
    }
    answer = _ts_client(npm_clients, plan, tmp_path)
    default = [n for n in pack.actions if pack.describe(n)["toolset"] in DEFAULT_TOOLSETS]
    assert answer["tools"] == [*default, ENABLE_TOOLSET]
    results = answer["results"]
    for (name, _), result in zip(calls[:6], results[:6], strict=True):
        assert "thrown" not in result, (name, result)
        assert not result["result"].get("isError"), (name, result)
        assert result["result"]["structuredContent"]["status"] == "success"
    started, stopped = (results[i]["result"]["structuredContent"] for i in (4, 5))
    assert stopped["id"] == started["id"] and stopped["workspace_id"] == DEMO_WORKSPACE_ID
    stopped_again = results[6]["result"]
    assert stopped_again["isError"] and "structuredContent" not in stopped_again
    assert "not served yet" in results[7]["thrown"] and ENABLE_TOOLSET in results[7]["thrown"]
    catalog = toolsets(pack)["catalog"]
    # The other toolsets are still on offer.
    assert results[8]["tools"] == [*default, *catalog, ENABLE_TOOLSET]
    assert answer["changed"] == 1
    assert results[9]["result"]["structuredContent"]["status"] == "success"
    assert results[10]["result"]["structuredContent"]["status"] == "success"


def _inspector(
    folder: Path, db: Path, *args: str, server: tuple[str, ...] = ()
) -> tuple[int, dict[str, Any], str]:
    """`mcp-inspector --cli` on the sandbox server: its exit code, the result it prints
    and what it says on stderr."""
    binaries = folder / "node_modules" / ".bin"
    command = [str(binaries / "node"), str(binaries / "mcp-inspector"), "--cli"]
    finished = subprocess.run(
        [*command, "-e", f"{DB_ENV_VAR}={db}", *args, "--", *_server_command("--sandbox", *server)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PATH": f"{binaries}{os.pathsep}{os.environ.get('PATH', '')}"},
    )
    assert finished.stdout, finished.stderr
    return finished.returncode, json.loads(finished.stdout), finished.stderr


# The Inspector CLI's exit code for a tool that answered isError (its EXIT_CODES).
INSPECTOR_TOOL_ERROR = 5


def test_the_inspector_finds_the_schemas_portable_and_shows_an_error_as_text(
    npm_clients: Path, tmp_path: Path, pack: Pack
) -> None:
    db = tmp_path / "sandbox.sqlite3"
    # --strict reports every schema portability finding, warnings included, on stderr.
    for toolsets_chosen in ((), ("--toolsets", "all")):
        code, listed, said = _inspector(
            npm_clients, db, "--method", "tools/list", "--strict", server=toolsets_chosen
        )
        assert code == 0 and said == "", said
    default = [n for n in pack.actions if pack.describe(n)["toolset"] in DEFAULT_TOOLSETS]
    code, listed, said = _inspector(npm_clients, db, "--method", "tools/list", "--strict")
    assert [t["name"] for t in listed["tools"]] == [*default, ENABLE_TOOLSET]
    # The discovery tool names every tool not served yet: each new action adds its name.
    assert len(json.dumps(listed, separators=(",", ":"))) <= 26_000

    code, listed_workspaces, said = _inspector(
        npm_clients, db, "--method", "tools/call", "--tool-name", "list_workspaces"
    )
    assert code == 0, said
    assert listed_workspaces["structuredContent"]["status"] == "success"

    code, failed, said = _inspector(
        npm_clients,
        db,
        "--method",
        "tools/call",
        "--tool-name",
        "stop_timer",
        "--tool-arg",
        f"workspace_id={NOT_AN_ID}",
    )
    assert code == INSPECTOR_TOOL_ERROR, said
    assert failed["isError"] is True and "structuredContent" not in failed
    error = json.loads(failed["content"][0]["text"])["error"]
    assert error["type"] == "validation_error"
    assert "Call list_workspaces to get a valid workspace_id" in error["message"]
