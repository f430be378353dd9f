"""`clockify-actions mcp`: the pack's actions as Model Context Protocol tools, over stdio.

Every tool is generated from its action's manifest, so nothing is described twice: the
name, title and description, the parameters as `inputSchema`, the response as
`outputSchema`, and the hints as annotations. A call goes through `Pack.run`, like any
other; its envelope comes back as `structuredContent` and as JSON text, and a failed
action is a tool error (`isError`) carrying the envelope, so that the agent can read it
and correct itself.

The SDK is the optional `mcp` extra. It is imported only here, and only when the server
starts, so neither the core install nor the other commands pay for it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from clockify_actions import __version__
from clockify_actions.errors import ActionError, ErrorType
from clockify_actions.runtime import ClientPool

if TYPE_CHECKING:
    import mcp_types as types
    from mcp.server.context import ServerRequestContext
    from mcp.server.lowlevel import Server

    from clockify_actions.runtime import Pack

INSTALL = "pip install 'clockify-actions[mcp]'"
# Every action talks to Clockify, a service outside the agent's own environment.
OPEN_WORLD = True
DESTRUCTIVE_WARNING = (
    "Destructive: it changes or deletes data that already exists in Clockify, which cannot "
    "be undone; make sure the user wants this first."
)


def served_actions(
    pack: Pack, *, read_only: bool = False, chosen: Sequence[str] | None = None
) -> list[str]:
    """The names of the actions to serve, in the manifest's order: the chosen ones (all by
    default), and with `read_only` only those whose manifest says they change nothing."""
    names = list(pack.actions)
    if chosen is not None:
        chosen = [name.strip() for name in chosen if name.strip()]
        unknown = [name for name in chosen if name not in pack.actions]
        if unknown or not chosen:
            raise ActionError(
                ErrorType.VALIDATION,
                f"--actions names no action of the pack: {', '.join(unknown) or 'none given'}. "
                f"Available: {', '.join(names)}.",
            )
        names = [name for name in names if name in chosen]
    if read_only:
        names = [name for name in names if pack.describe(name)["hints"]["read_only"]]
    if not names:
        raise ActionError(
            ErrorType.VALIDATION,
            "No action is left to serve: --read-only leaves out every action --actions chose.",
        )
    return names


def tool_description(described: Mapping[str, Any]) -> str:
    """The action's description; a destructive one also says so in words, for clients
    that show the description and not the annotations."""
    text: str = described["description"]
    return f"{text}\n\n{DESTRUCTIVE_WARNING}" if described["hints"]["destructive"] else text


def tool(described: Mapping[str, Any]) -> types.Tool:
    """The MCP tool for an action, from `Pack.describe`."""
    import mcp_types as types

    hints = described["hints"]
    return types.Tool(
        name=described["name"],
        title=described["title"],
        description=tool_description(described),
        input_schema=described["parameters"],
        output_schema=described["response"],
        annotations=types.ToolAnnotations(
            title=described["title"],
            read_only_hint=hints["read_only"],
            destructive_hint=hints["destructive"],
            idempotent_hint=hints["idempotent"],
            open_world_hint=OPEN_WORLD,
        ),
    )


def tool_result(envelope: Mapping[str, Any], text: str) -> types.CallToolResult:
    """An action's envelope as a tool result: structured, and as JSON text for clients
    that read only text; a failure is a tool error, not a protocol error."""
    import mcp_types as types

    return types.CallToolResult(
        content=[types.TextContent(text=text)],
        structured_content=dict(envelope),
        is_error=envelope["status"] == "error",
    )


def build_server(
    pack: Pack, names: Sequence[str], connection: Mapping[str, Any], clients: ClientPool
) -> Server[Any]:
    """An MCP server whose tools are the named actions, each call run with `connection`
    (the keyword arguments of `Pack.run`) and the Clockify clients kept in `clients`."""
    import anyio
    import anyio.to_thread
    import mcp_types as types
    from mcp.server.lowlevel import Server
    from mcp.shared.exceptions import MCPError

    tools = [tool(pack.describe(name)) for name in names]
    served = {t.name for t in tools}
    redactor = pack.redactor(api_key=connection.get("api_key"))
    # One action at a time, off the event loop, which goes on answering the client (pings,
    # tools/list) while a request to Clockify is on its way.
    one_at_a_time = anyio.CapacityLimiter(1)

    async def list_tools(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(tools=tools)

    async def call_tool(
        ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        if params.name not in served:
            why = (
                "is not served here: this server was started --read-only or with --actions"
                if params.name in pack.actions
                else "is not a tool"
            )
            raise MCPError(
                code=types.INVALID_PARAMS,
                message=f"{params.name!r} {why}. Tools: {', '.join(sorted(served))}.",
            )
        run = partial(pack.run, params.name, params.arguments or {}, clients=clients, **connection)
        # `Pack.run` redacts its errors; a success is redacted here, as the CLI does.
        envelope = redactor.data(await anyio.to_thread.run_sync(run, limiter=one_at_a_time))
        return tool_result(envelope, redactor.dumps(envelope))

    return Server(
        "clockify-actions",
        version=__version__,
        title=pack.title,
        description=pack.description,
        instructions=(
            f"{pack.description} Tools that change nothing are marked read-only; most "
            "need a workspace_id, which list_workspaces gives."
        ),
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )


def _log_through_the_pack() -> None:
    """The SDK logs through the pack's own stderr handler, which redacts the key."""
    sdk = logging.getLogger("mcp")
    sdk.handlers[:] = logging.getLogger("clockify_actions").handlers
    sdk.setLevel(logging.WARNING)
    sdk.propagate = False


def serve(
    pack: Pack,
    connection: Mapping[str, Any],
    *,
    read_only: bool = False,
    actions: Sequence[str] | None = None,
) -> int:
    """Serve the chosen actions over stdin and stdout until the client disconnects."""
    names = served_actions(pack, read_only=read_only, chosen=actions)
    try:
        import anyio
        from mcp.server.stdio import stdio_server
    except ImportError:
        raise ActionError(
            ErrorType.CONFIG,
            f"The MCP server needs the optional mcp package; install it with: {INSTALL}",
        ) from None
    _log_through_the_pack()
    clients = ClientPool()
    server = build_server(pack, names, connection, clients)

    async def run() -> None:
        async with stdio_server() as (read_stream, write_stream):
            await server.run(read_stream, write_stream, server.create_initialization_options())

    try:
        anyio.run(run)
    finally:
        clients.close()
    return 0
