"""5. The MCP server: its start, a call, and the size of `tools/list` per toolset."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from benchmarks.common import Sizes, cli_command, median_ms, progress
from clockify_actions.runtime import load_pack

# What an MCP client sends first, protocol version and all; the answer to the last is the
# list of tools, after which an agent can call one.
MCP_INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "bench", "version": "1"},
    },
}
MCP_INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}
SDK_IMPORT = "import mcp.server.lowlevel, mcp.server.stdio"
# The floor of an MCP server on the same SDK: a low-level server with one tool, an echo
# answering as the pack's tools do (text and structured content).
ECHO_SERVER = """
import json, anyio, mcp_types as types
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server
ECHO = types.Tool(name="echo", input_schema={"type": "object", "properties": {"text": {"type": "string"}}})
async def list_tools(ctx, params):
    return types.ListToolsResult(tools=[ECHO])
async def call_tool(ctx, params):
    echoed = dict(params.arguments or {})
    return types.CallToolResult(content=[types.TextContent(text=json.dumps(echoed))], structured_content=echoed)
server = Server("echo", on_list_tools=list_tools, on_call_tool=call_tool)
async def main():
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())
anyio.run(main)
"""


def mcp_commands() -> dict[str, list[str]]:
    return {
        "mcp": [*cli_command(), "mcp", "--sandbox"],
        "echo": [sys.executable, "-c", ECHO_SERVER],
    }


class Peer:
    """A child process spoken to one JSON line at a time, each answered by one line."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
        )

    def ask(self, *messages: dict[str, Any]) -> dict[str, Any]:
        """Send the messages; the answer to the last."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(b"".join(json.dumps(m).encode() + b"\n" for m in messages))
        self.process.stdin.flush()
        answer: dict[str, Any] = json.loads(self.process.stdout.readline())
        return answer

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        if self.process.wait() != 0:
            raise SystemExit(f"{self.process.args!r} failed")


def mcp_session(command: list[str], env: dict[str, str]) -> tuple[Peer, list[dict[str, Any]]]:
    """A server spawned, initialized and asked for its tools, as a client does."""
    peer = Peer(command, env)
    peer.ask(MCP_INITIALIZE)
    listed = peer.ask(MCP_INITIALIZED, {"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
    tools: list[dict[str, Any]] = listed["result"]["tools"]
    return peer, tools


def mcp_ready(command: list[str], env: dict[str, str]) -> int:
    """Spawn an MCP server, initialize it and list its tools; the number of tools."""
    peer, tools = mcp_session(command, env)
    peer.close()
    return len(tools)


def mcp_start(runs: int, env: dict[str, str]) -> dict[str, float]:
    """Median ms until the pack's MCP server and the one-tool echo server have listed
    their tools, and of the SDK's own import, taking turns."""
    servers = mcp_commands()
    commands: dict[str, Callable[[], object]] = {
        name: partial(mcp_ready, command, env) for name, command in servers.items()
    }
    commands["sdk"] = lambda: subprocess.run(
        [sys.executable, "-c", SDK_IMPORT], env=env, check=True
    )
    for command in commands.values():  # also compiles the bytecode: no one's start
        command()
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for number in range(runs):
        for name, command in commands.items():
            started = time.perf_counter()
            command()
            samples[name].append(time.perf_counter() - started)
        progress(f"  MCP start: run {number + 1}/{runs}")
    return {name: median_ms(times) for name, times in samples.items()}


def _tool_call(number: int, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    params = {"name": name, "arguments": arguments}
    return {"jsonrpc": "2.0", "id": number, "method": "tools/call", "params": params}


def mcp_per_call(rounds: int, env: dict[str, str]) -> dict[str, float]:
    """Median µs of one call once the servers run: `list_workspaces` through the pack's MCP
    server, the echo server's tool, and the same action as one `serve` line, taking
    turns."""
    servers = {name: mcp_session(command, env)[0] for name, command in mcp_commands().items()}
    serve = Peer([*cli_command(), "serve", "--sandbox"], env)
    calls: dict[str, Callable[[int], dict[str, Any]]] = {
        "mcp call": lambda n: servers["mcp"].ask(_tool_call(n, "list_workspaces", {})),
        "echo call": lambda n: servers["echo"].ask(_tool_call(n, "echo", {"text": "x"})),
        "serve line": lambda n: serve.ask({"id": n, "action": "list_workspaces"}),
    }
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for number in range(rounds + rounds // 10):
        for name, call in calls.items():
            started = time.perf_counter()
            answer = call(number + 10)
            if number >= rounds // 10:  # the first tenth warms caches up
                samples[name].append(time.perf_counter() - started)
            if "error" in answer or answer.get("result", {}).get("isError"):
                raise SystemExit(f"{name} failed: {answer}")
    for peer in [*servers.values(), serve]:
        peer.close()
    return {name: median_ms(times) * 1000 for name, times in samples.items()}


def tools_list_sizes(env: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Characters of the answer to `tools/list` (its result, as compact JSON) and the
    number of tools, for the default choice, each toolset and all of them."""
    from clockify_actions.adapters.mcp import ALL_TOOLSETS, toolsets

    choices = {"default": [], **{name: ["--toolsets", name] for name in toolsets(load_pack())}}
    choices[ALL_TOOLSETS] = ["--toolsets", ALL_TOOLSETS]
    sizes: dict[str, tuple[int, int]] = {}
    for choice, args in choices.items():
        peer, tools = mcp_session([*mcp_commands()["mcp"], *args], env)
        peer.close()
        sizes[choice] = (len(json.dumps({"tools": tools}, separators=(",", ":"))), len(tools))
    return sizes


def mcp_measures(sizes: Sizes, env: dict[str, str]) -> dict[str, Any] | None:
    """Rows 5 to 5c and the tools/list sizes; None without the `mcp` extra."""
    if importlib.util.find_spec("mcp") is None:
        return None
    return {
        "start": mcp_start(sizes.cold_runs, env),
        "call": mcp_per_call(sizes.call_rounds // 4, env),
        "sizes": tools_list_sizes(env),
    }
