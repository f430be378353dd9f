"""`clockify-actions mcp`: a real server process on the sandbox, driven by the `mcp` SDK's
own stdio client. The expected tools come from the pack, never from a list written here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import IO, Any

import anyio
import pytest
from jsonschema import Draft202012Validator
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.shared.exceptions import MCPError

from clockify_actions import Pack
from clockify_actions.adapters.mcp import (
    DEFAULT_TOOLSETS,
    ENABLE_TOOLSET,
    INSTALL,
    WITHHELD,
    served_parameters,
    served_schema,
    tool_description,
)
from clockify_actions.runtime.defaults import AUTO
from clockify_actions.sandbox import DB_ENV_VAR, DEMO_USER_ID, DEMO_WORKSPACE_ID, Sandbox

Scenario = Callable[[ClientSession], Awaitable[None]]


@asynccontextmanager
async def _session(
    db: Path, *args: str, env: dict[str, str] | None = None, errlog: IO[str] | None = None
) -> AsyncIterator[ClientSession]:
    server = StdioServerParameters(
        command=sys.executable,
        args=["-m", "clockify_actions", "mcp", *args],
        env={DB_ENV_VAR: str(db), **(env or {})},
    )
    async with (
        stdio_client(server, errlog=errlog or sys.stderr) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        yield session


def _drive(db: Path, scenario: Scenario, *args: str, **options: Any) -> None:
    async def main() -> None:
        with anyio.fail_after(120):
            async with _session(db, *args, **options) as session:
                await scenario(session)

    anyio.run(main)


def _check(pack: Pack, name: str, result: Any) -> dict[str, Any]:
    """The structured result of a successful call, checked against the action's response
    schema and against its own text form."""
    assert not result.is_error, result
    structured: dict[str, Any] = result.structured_content
    validator = Draft202012Validator(
        pack.describe(name)["response"], format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    assert list(validator.iter_errors(structured)) == []
    assert json.loads(result.content[0].text) == structured
    return structured


def test_every_action_is_a_tool_generated_from_its_manifest(tmp_path: Path, pack: Pack) -> None:
    async def scenario(session: ClientSession) -> None:
        tools = (await session.list_tools()).tools
        assert [t.name for t in tools] == list(pack.actions)
        for t in tools:
            described = pack.describe(t.name)
            assert t.title == described["title"]
            assert t.description == tool_description(described)
            assert t.input_schema == served_parameters(described["parameters"], AUTO)
            # The workspace and the user default to the connection's: optional as served,
            # required in the manifest still.
            required = described["parameters"].get("required", [])
            for name in ("workspace_id", "user_id"):
                if name in required:
                    assert name not in t.input_schema.get("required", []), (t.name, name)
                    assert "Leave it out for" in t.input_schema["properties"][name]["description"]
            assert t.output_schema == served_schema(described["response"], output=True)
            assert t.annotations is not None
            hints = described["hints"]
            assert (
                t.annotations.read_only_hint,
                t.annotations.destructive_hint,
                t.annotations.idempotent_hint,
                t.annotations.open_world_hint,
            ) == (hints["read_only"], hints["destructive"], hints["idempotent"], True)

    _drive(tmp_path / "sandbox.sqlite3", scenario, "--sandbox", "--toolsets", "all")


def test_read_write_and_failing_calls_come_back_as_envelopes(tmp_path: Path, pack: Pack) -> None:
    async def scenario(session: ClientSession) -> None:
        listed = _check(pack, "list_workspaces", await session.call_tool("list_workspaces", {}))
        assert DEMO_WORKSPACE_ID in [w["id"] for w in listed["workspaces"]]

        created = _check(
            pack,
            "create_project",
            await session.call_tool(
                "create_project",
                # An agent's null for an optional parameter means "leave it out".
                {"workspace_id": DEMO_WORKSPACE_ID, "name": "From an agent", "client_id": None},
            ),
        )
        assert created["name"] == "From an agent" and created["client_id"] is None
        projects = _check(
            pack,
            "list_projects",
            await session.call_tool("list_projects", {"workspace_id": DEMO_WORKSPACE_ID}),
        )
        assert created["id"] in [p["id"] for p in projects["projects"]]

        # No timer runs in the seeded sandbox: Clockify answers that there is none to stop.
        failed = await session.call_tool(
            "stop_timer", {"workspace_id": DEMO_WORKSPACE_ID, "user_id": DEMO_USER_ID}
        )
        # A failure is text only: a client checks structuredContent against the success
        # schema, which an error envelope never matches.
        assert failed.is_error and failed.structured_content is None
        envelope = json.loads(failed.content[0].text)
        assert envelope["status"] == "error"
        assert envelope["error"]["type"] == "not_found"
        assert envelope["error"]["message"].endswith("then call stop_timer again.")

        invalid = await session.call_tool("list_projects", {"workspace_id": "not-an-id"})
        assert invalid.is_error and invalid.structured_content is None
        error = json.loads(invalid.content[0].text)["error"]
        assert error["type"] == "validation_error"
        assert [d["path"] for d in error["details"]] == ["/workspace_id"]
        assert "Call list_workspaces to get a valid workspace_id" in error["message"]

        # The server is still there after the failures.
        _check(pack, "get_current_user", await session.call_tool("get_current_user", {}))

    _drive(tmp_path / "sandbox.sqlite3", scenario, "--sandbox", "--toolsets", "all")


def test_read_only_lists_no_write_tool_and_refuses_one_called_by_name(
    tmp_path: Path, pack: Pack
) -> None:
    db = tmp_path / "sandbox.sqlite3"
    read_only = [name for name in pack.actions if pack.describe(name)["hints"]["read_only"]]
    writes = [name for name in pack.actions if name not in read_only]
    assert read_only and writes

    async def scenario(session: ClientSession) -> None:
        tools = (await session.list_tools()).tools
        assert [t.name for t in tools] == read_only
        assert all(t.annotations and t.annotations.read_only_hint for t in tools)
        with pytest.raises(MCPError, match="not served here"):
            await session.call_tool(
                "create_project", {"workspace_id": DEMO_WORKSPACE_ID, "name": "Not allowed"}
            )
        _check(pack, "list_workspaces", await session.call_tool("list_workspaces", {}))

    with Sandbox.open(db) as sandbox:
        before = sandbox.projects(DEMO_WORKSPACE_ID)
    _drive(db, scenario, "--sandbox", "--read-only", "--toolsets", "all")
    with Sandbox.open(db) as sandbox:
        assert sandbox.projects(DEMO_WORKSPACE_ID) == before


def test_actions_option_serves_the_chosen_set(tmp_path: Path, pack: Pack) -> None:
    chosen = list(pack.actions)[::-2]

    async def scenario(session: ClientSession) -> None:
        names = [t.name for t in (await session.list_tools()).tools]
        assert names == [name for name in pack.actions if name in chosen]
        with pytest.raises(MCPError, match="not served here"):
            await session.call_tool(next(n for n in pack.actions if n not in chosen), {})
        with pytest.raises(MCPError, match="is not a tool"):
            await session.call_tool("delete_everything", {})

    _drive(tmp_path / "sandbox.sqlite3", scenario, "--sandbox", "--actions", ",".join(chosen))


def _mcp_cli(*args: str, code: str = "") -> tuple[int, dict[str, Any]]:
    """`clockify-actions mcp ...` that ends before serving: its one JSON document."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLOCKIFY_")}
    program = (
        f"import sys\n{code}\nfrom clockify_actions.adapters.cli import main\nsys.exit(main())"
    )
    # A state file of its own, never the user's (which another release may have written).
    with tempfile.TemporaryDirectory() as home:
        environment[DB_ENV_VAR] = str(Path(home) / "sandbox.sqlite3")
        result = subprocess.run(
            [sys.executable, "-c", program, "mcp", *args],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            env=environment,
            timeout=60,
        )
    document: dict[str, Any] = json.loads(result.stdout)
    return result.returncode, document


@pytest.mark.parametrize(
    "args",
    [
        ["--actions", "list_workspaces,delete_everything"],
        ["--actions", ","],
        ["--actions", "create_project", "--read-only"],
        ["--toolsets", "time_tracking,everything"],
        ["--toolsets", ","],
        ["--toolsets", "webhooks", "--actions", "list_workspaces"],
    ],
)
def test_an_empty_or_unknown_choice_of_actions_is_a_usage_error(args: list[str]) -> None:
    code, document = _mcp_cli("--sandbox", *args)
    assert code == 2
    assert document["error"]["type"] == "validation_error"


def test_without_the_extra_the_command_says_how_to_install_it() -> None:
    code, document = _mcp_cli("--sandbox", code="sys.modules['mcp'] = None")
    assert code == 2
    assert document["error"]["type"] == "config_error"
    assert INSTALL in document["error"]["message"]


def test_the_cli_does_not_import_the_sdk() -> None:
    program = (
        "import sys, io, contextlib; from clockify_actions.adapters.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()): main(['run', 'list_workspaces'])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('mcp', 'mcp_types')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "[]", result.stderr


def test_the_key_is_in_no_schema_result_or_log(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.sqlite3"
    key = "mcp-secret-Vb71QeX0aLk3"
    with Sandbox.open(db) as sandbox:
        sandbox.set_api_key(DEMO_USER_ID, key)
    seen: list[str] = []

    async def scenario(session: ClientSession) -> None:
        tools = await session.list_tools()
        seen.append(tools.model_dump_json())
        for name, arguments in [
            ("get_current_user", {}),
            ("list_projects", {"workspace_id": DEMO_WORKSPACE_ID}),
            ("list_projects", {"workspace_id": key}),
            ("create_project", {"workspace_id": DEMO_WORKSPACE_ID, "name": key}),
        ]:
            result = await session.call_tool(name, arguments)
            seen.append(result.model_dump_json())
        assert '"is_error":false' in seen[1], seen[1]

    log = tmp_path / "stderr.log"
    with log.open("w") as errlog:
        _drive(
            db,
            scenario,
            "--sandbox",
            "--toolsets",
            "all",
            "-v",
            "--api-key-env",
            "MY_CLOCKIFY_KEY",
            env={"MY_CLOCKIFY_KEY": key},
            errlog=errlog,
        )
    logged = log.read_text()
    assert "GET http://sandbox.localhost/api/v1/user" in logged
    assert "api_key" not in seen[0]
    for text in [*seen, logged]:
        assert key not in text


def _default_tools(pack: Pack) -> list[str]:
    return [n for n in pack.actions if pack.describe(n)["toolset"] in DEFAULT_TOOLSETS]


def test_the_default_toolset_is_small_and_the_others_come_on_demand(
    tmp_path: Path, pack: Pack
) -> None:
    default = _default_tools(pack)
    changed: list[str] = []

    async def note(message: Any) -> None:
        changed.append(getattr(message, "method", type(message).__name__))

    async def scenario(session: ClientSession) -> None:
        listed = await session.list_tools()
        assert [t.name for t in listed.tools] == [*default, ENABLE_TOOLSET]
        # What an agent host puts in the model's context for this server, at most, however
        # many toolsets wait to be served.
        size = len(listed.model_dump_json(by_alias=True, exclude_none=True))
        assert size <= 25_000, size
        with pytest.raises(MCPError, match=f"in toolset reports, not served yet.*{ENABLE_TOOLSET}"):
            await session.call_tool("detailed_report", {})
        enabled = await session.call_tool(ENABLE_TOOLSET, {"toolset": "reports"})
        assert not enabled.is_error and "detailed_report" in enabled.content[0].text
        names = [t.name for t in (await session.list_tools()).tools]
        reports = [n for n in pack.actions if pack.describe(n)["toolset"] == "reports"]
        assert "detailed_report" in reports
        assert names == [*default, *reports, ENABLE_TOOLSET]
        again = await session.call_tool(ENABLE_TOOLSET, {"toolset": "reports"})
        assert again.is_error and "no toolset left to serve" in again.content[0].text

    async def main() -> None:
        server = StdioServerParameters(
            command=sys.executable,
            args=["-m", "clockify_actions", "mcp", "--sandbox"],
            env={DB_ENV_VAR: str(tmp_path / "sandbox.sqlite3")},
        )
        with anyio.fail_after(120):
            async with (
                stdio_client(server) as (read, write),
                ClientSession(read, write, message_handler=note) as session,
            ):
                init = await session.initialize()
                assert init.capabilities.tools and init.capabilities.tools.list_changed
                assert "Leave workspace_id out" in (init.instructions or "")
                assert "get_current_user" in init.instructions
                assert f"call {ENABLE_TOOLSET} with one of the toolsets" in init.instructions
                await scenario(session)

    anyio.run(main)
    assert changed.count("notifications/tools/list_changed") == 1, changed


def test_toolsets_option_serves_the_named_toolsets(tmp_path: Path, pack: Pack) -> None:
    async def scenario(session: ClientSession) -> None:
        names = [t.name for t in (await session.list_tools()).tools]
        chosen = [n for n in pack.actions if pack.describe(n)["toolset"] in ("webhooks", "reports")]
        assert names == [*chosen, ENABLE_TOOLSET]

    _drive(tmp_path / "sandbox.sqlite3", scenario, "--sandbox", "--toolsets", "webhooks,reports")


def test_read_only_never_hands_out_a_webhook_token(tmp_path: Path, pack: Pack) -> None:
    db = tmp_path / "sandbox.sqlite3"
    created: dict[str, Any] = {}

    async def create(session: ClientSession) -> None:
        arguments = {
            "workspace_id": DEMO_WORKSPACE_ID,
            "name": "To a sheet",
            "url": "https://example.com/hook",
            "event": "NEW_TIME_ENTRY",
        }
        created.update(
            _check(pack, "create_webhook", await session.call_tool("create_webhook", arguments))
        )

    async def read(session: ClientSession) -> None:
        result = await session.call_tool("list_webhooks", {"workspace_id": DEMO_WORKSPACE_ID})
        listed = _check(pack, "list_webhooks", result)
        assert [w["auth_token"] for w in listed["webhooks"]] == [WITHHELD]
        assert created["webhook"]["auth_token"] not in result.model_dump_json()

    _drive(db, create, "--sandbox", "--toolsets", "webhooks")
    token = created["webhook"]["auth_token"]
    assert token
    _drive(db, read, "--sandbox", "--read-only", "--toolsets", "webhooks")
