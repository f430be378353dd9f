"""The MCP server: the tools of a session, how a call is run, and serving over stdio."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from clockify_actions import __version__
from clockify_actions.adapters.mcp.advice import (
    WORKSPACE_PARAMETER,
    error_result,
    id_sources,
    next_step,
)
from clockify_actions.adapters.mcp.tools import (
    ENABLE_TOOLSET,
    enable_toolset_tool,
    tool,
    tool_result,
    withhold_secrets,
)
from clockify_actions.adapters.mcp.toolsets import served_actions, toolsets
from clockify_actions.errors import ActionError, ErrorType
from clockify_actions.runtime import AUTO, ClientPool

if TYPE_CHECKING:
    import mcp_types as types
    from mcp.server.context import ServerRequestContext
    from mcp.server.lowlevel import Server

    from clockify_actions.runtime import Pack

INSTALL = "pip install 'clockify-actions[mcp]'"


class Catalogue:
    """The tools served in a session, and the toolsets still on offer."""

    def __init__(
        self,
        pack: Pack,
        names: Sequence[str],
        *,
        read_only: bool,
        offer_more: bool,
        workspace: Any = None,
    ) -> None:
        self.pack = pack
        self.read_only = read_only
        self.workspace = workspace
        self.sources = id_sources(pack.describe(name) for name in pack.actions)
        self.tools: dict[str, types.Tool] = {name: self._tool(name) for name in names}
        self.offered: dict[str, list[str]] = {}
        if offer_more:
            for toolset, actions in toolsets(pack).items():
                left = [name for name in actions if name not in self.tools and self._may(name)]
                if left:
                    self.offered[toolset] = left

    def _tool(self, name: str) -> types.Tool:
        return tool(self.pack.describe(name), self.workspace)

    def _may(self, name: str) -> bool:
        return not self.read_only or bool(self.pack.describe(name)["hints"]["read_only"])

    def listed(self) -> list[types.Tool]:
        tools = list(self.tools.values())
        return [*tools, enable_toolset_tool(self.offered)] if self.offered else tools

    def enable(self, toolset: str) -> list[str]:
        """Serve the toolset's tools; their names."""
        names = self.offered.pop(toolset)
        self.tools.update((name, self._tool(name)) for name in names)
        return names

    def source(self, parameter: str) -> str | None:
        """How to get a valid id for `parameter`: the tool to call, and first the toolset
        to enable when that tool is not served yet."""
        for name in self.sources.get(parameter, ()):
            if name in self.tools:
                return name
            toolset = next((s for s, names in self.offered.items() if name in names), None)
            if toolset is not None:
                return f"{ENABLE_TOOLSET} with toolset {toolset}, then {name}"
        return None

    def refusal(self, name: str) -> str:
        """Why the tool `name` is not served, and what to do instead."""
        toolset = next((s for s, names in self.offered.items() if name in names), None)
        if toolset is not None:
            why = f"is in toolset {toolset}, not served yet: call {ENABLE_TOOLSET} first"
        elif name in self.pack.actions:
            why = "is not served here: this server was started --read-only or with --actions"
        else:
            why = "is not a tool"
        return f"{name!r} {why}. Tools: {', '.join(sorted(self.tools))}."


def build_server(
    pack: Pack,
    names: Sequence[str],
    connection: Mapping[str, Any],
    clients: ClientPool,
    *,
    read_only: bool = False,
    offer_more: bool = False,
) -> Server[Any]:
    """An MCP server whose tools are the named actions, each call run with `connection`
    (the keyword arguments of `Pack.run`) and the Clockify clients kept in `clients`;
    with `offer_more`, the other toolsets on demand."""
    import anyio
    import anyio.to_thread
    import mcp_types as types
    from mcp.server.lowlevel import Server
    from mcp.shared.exceptions import MCPError

    workspace = pack.settings(**connection).get("workspace_id")
    catalogue = Catalogue(
        pack, names, read_only=read_only, offer_more=offer_more, workspace=workspace
    )
    redactor = pack.redactor(api_key=connection.get("api_key"))
    # One action at a time, off the event loop, which goes on answering the client (pings,
    # tools/list) while a request to Clockify is on its way.
    one_at_a_time = anyio.CapacityLimiter(1)

    async def list_tools(
        ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        return types.ListToolsResult(tools=catalogue.listed())

    async def enable(ctx: ServerRequestContext[Any], arguments: Mapping[str, Any]) -> Any:
        toolset = arguments.get("toolset")
        if toolset not in catalogue.offered:
            message = (
                f"{toolset!r} is no toolset left to serve. Call {ENABLE_TOOLSET} with one of: "
                f"{', '.join(catalogue.offered) or 'none (every toolset is served)'}."
            )
            return types.CallToolResult(content=[types.TextContent(text=message)], is_error=True)
        added = catalogue.enable(toolset)
        await ctx.session.send_tool_list_changed()
        text = f"Toolset {toolset} is served: {', '.join(added)} can be called now."
        return types.CallToolResult(content=[types.TextContent(text=text)])

    async def call_tool(
        ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        arguments = params.arguments or {}
        if params.name == ENABLE_TOOLSET and catalogue.offered:
            result: types.CallToolResult = await enable(ctx, arguments)
            return result
        if params.name not in catalogue.tools:
            raise MCPError(code=types.INVALID_PARAMS, message=catalogue.refusal(params.name))
        run = partial(pack.run, params.name, arguments, clients=clients, **connection)
        # `Pack.run` redacts its errors; a success is redacted here, as the CLI does.
        envelope = redactor.data(await anyio.to_thread.run_sync(run, limiter=one_at_a_time))
        if envelope["status"] == "error":
            parameters = pack.describe(params.name)["parameters"]["properties"]
            step = next_step(
                params.name, envelope["error"], parameters, catalogue.source, catalogue.sources
            )
            return error_result(envelope, step, redactor.dumps)
        if read_only:
            envelope = withhold_secrets(pack.describe(params.name)["response"], envelope)
        return tool_result(envelope, redactor.dumps(envelope))

    return Server(
        "clockify-actions",
        version=__version__,
        title=pack.title,
        description=pack.description,
        instructions=instructions(pack, catalogue),
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )


def instructions(pack: Pack, catalogue: Catalogue) -> str:
    """What the server tells the agent once, at the start, from what it serves."""
    said = [
        pack.description,
        "A destructive tool changes or deletes what exists: make sure the user wants it.",
    ]
    source = catalogue.source(WORKSPACE_PARAMETER)
    if catalogue.workspace is not None:
        said.append(
            "Leave workspace_id out to use the user's workspace, and user_id to mean the "
            "user; get_current_user says who the user is, their default workspace, their "
            "time zone and the time there now."
        )
    elif source is not None:
        said.append(f"Most tools need a workspace_id: call {source} first.")
    said.append(
        "Times are ISO 8601: with an offset (2026-01-28T09:00:00+01:00), or a wall-clock "
        "time (2026-01-28T09:00:00) read in time_zone, by default the user's profile zone. "
        "A failed call's message says what was wrong and which tool to call next."
    )
    if catalogue.offered:
        said.append(
            f"More tools are served on demand: call {ENABLE_TOOLSET} with one of the toolsets "
            f"{', '.join(catalogue.offered)}."
        )
    return " ".join(said)


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
    toolsets_chosen: Sequence[str] | None = None,
) -> int:
    """Serve the chosen actions over stdin and stdout until the client disconnects."""
    names = served_actions(
        pack, read_only=read_only, chosen=actions, toolsets_chosen=toolsets_chosen
    )
    try:
        import anyio
        from mcp.server.lowlevel import NotificationOptions
        from mcp.server.stdio import stdio_server
    except ImportError:
        raise ActionError(
            ErrorType.CONFIG,
            f"The MCP server needs the optional mcp package; install it with: {INSTALL}",
        ) from None
    _log_through_the_pack()
    clients = ClientPool()
    # An agent works in its user's workspace unless the server was started in another:
    # `auto` is resolved with one request, once.
    if pack.settings(**connection).get("workspace_id") is None:
        connection = {**connection, "workspace_id": AUTO}
    # Chosen by name, the tools are exactly those; else the other toolsets are on offer.
    server = build_server(
        pack, names, connection, clients, read_only=read_only, offer_more=actions is None
    )

    async def run() -> None:
        async with stdio_server() as (read_stream, write_stream):
            # The tool list changes when the agent enables a toolset; the client is told.
            options = server.create_initialization_options(NotificationOptions(tools_changed=True))
            await server.run(read_stream, write_stream, options)

    try:
        anyio.run(run)
    finally:
        clients.close()
    return 0
