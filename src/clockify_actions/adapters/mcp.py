"""`clockify-actions mcp`: the pack's actions as Model Context Protocol tools, over stdio.

Every tool is generated from its action's manifest, so nothing is described twice: the
name, title and description, the parameters as `inputSchema`, the response as
`outputSchema`, the hints as annotations, and the manifest's `toolset` as the group it is
served in. What is served is slimmed for the agent, never loosened for the runtime, which
still checks every call against the full manifest: the runtime's own wording of a problem
(`x-message`), repeated `examples` and notes about how many requests a run makes are left
out, a nullable value is written `anyOf` with `null` (the form every model family's
function schemas and every client's validator accept), and an output schema keeps only
the shapes and their descriptions (its patterns, lengths and required fields were checked
before the result left the runtime).

A call goes through `Pack.run`, like any other. A success comes back as
`structuredContent` and as JSON text; a failure is a tool error (`isError`) whose only
content is the error envelope as text, its message followed by what to do next, naming
the tool to call by its callable name: a client validates `structuredContent` against
the success schema, which an envelope never matches.

By default only the everyday toolset is served, which keeps the tool list small for the
agent's context; the others are a call of `enable_toolset` away (the server then tells the
client that its tools changed), or chosen at start with `--toolsets`.

The SDK is the optional `mcp` extra. It is imported only here, and only when the server
starts, so neither the core install nor the other commands pay for it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from clockify_actions import __version__
from clockify_actions.errors import ActionError, ErrorType
from clockify_actions.runtime import AUTO, ClientPool, fillable

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
# What an agent host is served when it names no toolset: the everyday loop of time tracking.
DEFAULT_TOOLSETS = ("time_tracking",)
ALL_TOOLSETS = "all"
# The tool that serves another toolset on demand; it is no action, so it never clashes.
ENABLE_TOOLSET = "enable_toolset"
# What a `--read-only` agent is shown instead of a value its schema marks `x-secret`.
WITHHELD = "[withheld: this server is read-only]"

# --- what a served schema leaves out ----------------------------------------------------

# Keywords whose value is a schema, a list of schemas, or a map of names to schemas: the
# only places a served schema is walked into (a `const`, `enum` or `default` is data).
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs")
_SCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
_SCHEMAS = ("not", "contains", "additionalProperties", "if", "then", "else")
# Besides every `x-` keyword (the runtime's wording of a problem, a secret's mark): the
# examples, the same id or timestamp repeated in every schema that takes one.
_NOT_SERVED = ("examples",)
# An output schema documents the result; these were checked before the result left.
_CHECKS = (
    "required",
    "additionalProperties",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "uniqueItems",
    "format",
)

# How deep in lists an output schema is spelt out: the items of a list, but not of a
# list within them.
_OUTPUT_ARRAY_DEPTH = 2

# How a run works is the runner's business, not the agent's: notes about the requests a
# run makes are left out of a served description. Each row is a pattern and what it
# becomes, applied in order.
RUNNER_NOTES: tuple[tuple[re.Pattern[str], str], ...] = (
    # A sentence of its own: "One request.", "One request; a write, never sent twice.",
    # "One request per page of ... (one, unless there are thousands)."
    (re.compile(r"(?:^|(?<=[.)]) )(?:Makes )?[Oo]ne request\b[^.]*(?:\([^)]*\))?[^.]*\.\s*"), ""),
    # The tail of a sentence: "...; makes one request per page, plus one to ..."
    (re.compile(r"; makes one request[^.]*"), ""),
    # A parenthesis about requests: "(one request per 5000 tags)", "(one more request)".
    (re.compile(r" \([^()]*\brequests?\b[^()]*\)"), ""),
    # A clause: "with one request", ", 1000 entries a request,".
    (re.compile(r" with one request\b"), ""),
    (re.compile(r", \d+ \w+ a request,"), ","),
)


def runner_notes_removed(text: str) -> str:
    for pattern, replacement in RUNNER_NOTES:
        text = pattern.sub(replacement, text)
    return text.strip()


def served_schema(
    schema: Any, *, output: bool = False, described: bool = False, within: int = 0
) -> Any:
    """`schema` as an agent is served it (see the module's docstring). `described`: the
    schema is a branch of an `anyOf`, or the items of an array, whose parent already says
    what the value is; `within`: how many arrays it is the items of."""
    if not isinstance(schema, Mapping):
        return schema
    if output and within >= _OUTPUT_ARRAY_DEPTH:
        # A list inside a list's items (a report's second level of groups, an entry's tag
        # ids in a list of entries) is said in its parent's description, not spelt out.
        return {key: schema[key] for key in ("type",) if key in schema}
    served: dict[str, Any] = {}
    for key, value in schema.items():
        if key.startswith("x-") or key in _NOT_SERVED or (output and key in _CHECKS):
            continue
        if described and key == "description":
            continue
        if key in _SCHEMA_MAPS:
            value = {
                name: served_schema(s, output=output, within=within) for name, s in value.items()
            }
        elif key in _SCHEMA_LISTS:
            value = [
                served_schema(s, output=output, described="description" in schema, within=within)
                for s in value
            ]
        elif key == "items":
            value = served_schema(
                value, output=output, described="description" in schema, within=within + 1
            )
        elif key in _SCHEMAS:
            value = served_schema(value, output=output, within=within)
        served[key] = value
    return _nullable_as_any_of(served)


def _nullable_as_any_of(schema: dict[str, Any]) -> dict[str, Any]:
    """`{"type": [x, "null"], ...}` as `{"anyOf": [{"type": x, ...}, {"type": "null"}]}`,
    its description outside the branches: a list of types is legal JSON Schema, but a
    client that maps tool schemas onto a one-type dialect (Gemini's function declarations)
    rejects it, and the MCP Inspector's `--strict` flags it as not portable."""
    kinds = schema.get("type")
    if not isinstance(kinds, list) or "null" not in kinds:
        return schema
    others = [kind for kind in kinds if kind != "null"]
    branch = {key: value for key, value in schema.items() if key not in ("type", "description")}
    branch["type"] = others[0] if len(others) == 1 else others
    nullable: dict[str, Any] = {"anyOf": [branch, {"type": "null"}]}
    if "description" in schema:
        return {"description": schema["description"], **nullable}
    return nullable


# --- which tools are served ---------------------------------------------------------------


def toolsets(pack: Pack) -> dict[str, list[str]]:
    """Each toolset's actions, in the manifest's order, from each action's `toolset`."""
    sets: dict[str, list[str]] = {}
    for name in pack.actions:
        sets.setdefault(pack.describe(name)["toolset"], []).append(name)
    return sets


def _chosen_toolsets(pack: Pack, chosen: Sequence[str] | None) -> list[str]:
    available = toolsets(pack)
    if chosen is None:
        return [name for name in DEFAULT_TOOLSETS if name in available]
    named = [name.strip() for name in chosen if name.strip()]
    if named == [ALL_TOOLSETS]:
        return list(available)
    unknown = [name for name in named if name not in available]
    if unknown or not named:
        raise ActionError(
            ErrorType.VALIDATION,
            f"--toolsets names no toolset of the pack: {', '.join(unknown) or 'none given'}. "
            f"Available: {', '.join(available)}, or {ALL_TOOLSETS}.",
        )
    return named


def served_actions(
    pack: Pack,
    *,
    read_only: bool = False,
    chosen: Sequence[str] | None = None,
    toolsets_chosen: Sequence[str] | None = None,
) -> list[str]:
    """The names of the actions to serve, in the manifest's order: those of the chosen
    toolsets (the default ones, or every one when actions are chosen by name and no
    toolset is), of the chosen actions (all by default), and with `read_only` only those
    whose manifest says they change nothing."""
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
    if chosen is None or toolsets_chosen is not None:
        sets = _chosen_toolsets(pack, toolsets_chosen)
        names = [name for name in names if pack.describe(name)["toolset"] in sets]
    if read_only:
        names = [name for name in names if pack.describe(name)["hints"]["read_only"]]
    if not names:
        raise ActionError(
            ErrorType.VALIDATION,
            "No action is left to serve: --read-only, --toolsets and --actions leave out "
            "every action.",
        )
    return names


# --- the tools ----------------------------------------------------------------------------


def tool_description(described: Mapping[str, Any]) -> str:
    """The action's description without runner notes; a destructive one also says so in
    words, for clients that show the description and not the annotations."""
    text = runner_notes_removed(described["description"])
    return f"{text}\n\n{DESTRUCTIVE_WARNING}" if described["hints"]["destructive"] else text


def served_parameters(parameters: Mapping[str, Any], workspace: Any) -> Any:
    """The parameters as served: those the connection's defaults fill (the workspace, the
    user) are optional, their descriptions saying what they default to. The runtime
    still checks the manifest's parameters, once the defaults are filled in."""
    served = served_schema(parameters)
    filled = fillable(parameters, workspace)
    if not filled:
        return served
    properties = dict(served["properties"])
    for name, filled_with in filled.items():
        described = properties[name].get("description", "").rstrip()
        properties[name] = {
            **properties[name],
            "description": f"{described} Leave it out for {filled_with}.".strip(),
        }
    required = [name for name in served.get("required", ()) if name not in filled]
    served = {**served, "properties": properties, "required": required}
    if not required:
        del served["required"]
    return served


def tool(described: Mapping[str, Any], workspace: Any = None) -> types.Tool:
    """The MCP tool for an action, from `Pack.describe`, on a connection whose workspace
    setting is `workspace`."""
    import mcp_types as types

    hints = described["hints"]
    return types.Tool(
        name=described["name"],
        title=described["title"],
        description=tool_description(described),
        input_schema=served_parameters(described["parameters"], workspace),
        output_schema=served_schema(described["response"], output=True),
        annotations=types.ToolAnnotations(
            read_only_hint=hints["read_only"],
            destructive_hint=hints["destructive"],
            idempotent_hint=hints["idempotent"],
            open_world_hint=OPEN_WORLD,
        ),
    )


def enable_toolset_tool(offered: Mapping[str, Sequence[str]]) -> types.Tool:
    """The discovery tool: serves one more toolset, whose tools it lists."""
    import mcp_types as types

    listed = "; ".join(f"{name}: {', '.join(tools)}" for name, tools in offered.items())
    return types.Tool(
        name=ENABLE_TOOLSET,
        title="Serve more Clockify tools",
        description=(
            "Serve the tools of one more toolset in this session, when the task needs a tool "
            f"that is not listed yet. Toolsets not served yet: {listed}."
        ),
        input_schema={
            "type": "object",
            "additionalProperties": False,
            "required": ["toolset"],
            "properties": {
                "toolset": {
                    "type": "string",
                    "enum": list(offered),
                    "description": "The toolset to serve.",
                }
            },
        },
        annotations=types.ToolAnnotations(
            read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False
        ),
    )


def withhold_secrets(schema: Mapping[str, Any], value: Any) -> Any:
    """`value` with every field its schema marks `x-secret` replaced by `WITHHELD`."""
    if isinstance(value, dict) and "properties" in schema:
        properties = schema["properties"]
        return {
            key: WITHHELD
            if properties.get(key, {}).get("x-secret") and item is not None
            else withhold_secrets(properties.get(key, {}), item)
            for key, item in value.items()
        }
    if isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        return [withhold_secrets(schema["items"], item) for item in value]
    return value


# --- what an agent is told after a failure --------------------------------------------------

# Which tool gives the id a parameter takes, best first; the first one the pack has is
# named. A test checks that every id parameter of every action is here.
ID_SOURCES: dict[str, tuple[str, ...]] = {
    "workspace_id": ("list_workspaces",),
    "project_id": ("find_project", "list_projects"),
    "project_ids": ("find_project", "list_projects"),
    "client_id": ("find_client", "list_clients"),
    "client_ids": ("find_client", "list_clients"),
    "task_id": ("find_task", "list_tasks"),
    "tag_ids": ("find_tag", "list_tags"),
    "user_id": ("get_current_user", "find_user"),
    "user_ids": ("find_user", "list_users"),
    "time_entry_id": ("list_time_entries",),
    "webhook_id": ("list_webhooks",),
}
# Clockify names what it could not find first: "Project doesn't belong to Workspace",
# "Time entry doesn't belong to Workspace", "Tag doesn't belong to Workspace"
# (api-facts-2 §13.1, §19.1, §22); an id parameter is named after its kind.
_ID_PARAMETER = re.compile(r"([a-z_]+?)_ids?")
_WORKSPACE_PARAMETER = "workspace_id"


def pointed_parameters(error: Mapping[str, Any], parameters: Iterable[str]) -> list[str]:
    """The parameters an error is about: those its details point at, else the id
    parameter whose kind its message names first (Clockify's "Project doesn't belong to
    Workspace" is about a `project_id`, "Time entry ..." about a `time_entry_id`)."""
    known = list(parameters)
    pointed = [
        detail["path"].split("/")[1]
        for detail in error.get("details", [])
        if isinstance(detail.get("path"), str) and detail["path"].startswith("/")
    ]
    pointed = [name for name in dict.fromkeys(pointed) if name in known]
    if pointed:
        return pointed
    message = str(error.get("message", "")).lower()
    return [
        name
        for name in known
        if (kind := _ID_PARAMETER.fullmatch(name))
        and message.startswith(kind.group(1).replace("_", " ") + " ")
    ]


# What each kind of failure means for the agent, and what it should do next; `{retry}`
# is "call <the tool> again". Where the failure is about an id and a tool gives valid
# ids, the next step names that tool instead (see `next_step`).
ERROR_ADVICE: dict[ErrorType, tuple[str, str]] = {
    ErrorType.VALIDATION: (
        "Nothing was sent to Clockify.",
        "Correct the parameters named in details, then {retry}.",
    ),
    ErrorType.NOT_FOUND: (
        "An id is unknown or of another workspace.",
        "Check the ids you gave, then {retry}.",
    ),
    ErrorType.PERMISSION: (
        "The API key's user may not do this there.",
        "Use a workspace or item the user may use, or ask the user for the rights.",
    ),
    ErrorType.CONFLICT: (
        "It exists already, or the name matches more than one.",
        "Use the id the message names, or the existing item instead of creating one.",
    ),
    ErrorType.REJECTED: ("Clockify refused these values.", "Change what it names, then {retry}."),
    ErrorType.AUTH: (
        "The server's API key is missing or wrong.",
        "Ask the user to fix the server's CLOCKIFY_API_KEY; calling again will not help.",
    ),
    ErrorType.CONFIG: (
        "The server is misconfigured.",
        "Ask the user to fix it; calling again will not help.",
    ),
    ErrorType.RATE_LIMITED: (
        "Clockify's rate limit was reached.",
        "Wait a few seconds, then {retry}.",
    ),
    ErrorType.UPSTREAM: ("Clockify failed for now.", "Wait a little, then {retry}."),
    ErrorType.NETWORK: ("Clockify could not be reached.", "Wait a little, then {retry}."),
    ErrorType.CONTRACT: ("Clockify's answer was not what the pack expects.", "Tell the user."),
    ErrorType.INTERNAL: ("A fault of this server.", "Tell the user."),
}
# What became of a write that failed (`outcome` in the request record), when it matters.
OUTCOME_ADVICE = {
    "unknown": "The change may have been made: read it back before you {retry}.",
    "applied": "The change was made, though its result could not be read: do not call again.",
}


def next_step(
    tool_name: str,
    error: Mapping[str, Any],
    parameters: Collection[str],
    source: Callable[[str], str | None],
) -> str:
    """What an agent should do after `tool_name` failed with `error`, in words, naming the
    tool to call. `source(parameter)` says how to get a valid id for a parameter."""
    kind = ErrorType(error["type"])
    what, then = ERROR_ADVICE[kind]
    retry = f"call {tool_name} again"
    pointed = pointed_parameters(error, parameters)
    if kind == ErrorType.PERMISSION:
        # Clockify's 403 for a workspace the key's user cannot reach (api-facts-2 §1.2).
        pointed = pointed or [name for name in parameters if name == _WORKSPACE_PARAMETER]
    finders = [f"{how} to get a valid {name}" for name in pointed if (how := source(name))]
    if finders and kind in (ErrorType.VALIDATION, ErrorType.NOT_FOUND, ErrorType.PERMISSION):
        then = f"Call {'; '.join(finders)}, then {{retry}}."
    # "Project with this name already exists": the existing one's id is a find away.
    existing = pointed_parameters(error, ID_SOURCES) if kind == ErrorType.CONFLICT else []
    if existing and (how := source(existing[0])):
        then = f"Call {how} to get the existing one's id instead of creating it again."
    # A write that may have been made, or was, is never simply sent again.
    outcome = next((d["outcome"] for d in error.get("details", []) if "outcome" in d), None)
    then = OUTCOME_ADVICE.get(outcome or "", then)
    return f"{what} {then.format(retry=retry)}"


def error_result(
    envelope: Mapping[str, Any], step: str, dumps: Callable[[Any], str]
) -> types.CallToolResult:
    """A failed action as a tool error: the envelope as text only, its message followed by
    the next step (no `structuredContent`, which clients check against the success
    schema)."""
    import mcp_types as types

    error = dict(envelope["error"])
    error["message"] = f"{error['message']} {step}".strip()
    told = {**envelope, "error": error}
    return types.CallToolResult(content=[types.TextContent(text=dumps(told))], is_error=True)


def tool_result(envelope: Mapping[str, Any], text: str) -> types.CallToolResult:
    """A successful action's envelope as a tool result: structured, and as JSON text for
    clients that read only text."""
    import mcp_types as types

    return types.CallToolResult(
        content=[types.TextContent(text=text)], structured_content=dict(envelope)
    )


# --- the server ---------------------------------------------------------------------------


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
        for name in ID_SOURCES.get(parameter, ()):
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
            step = next_step(params.name, envelope["error"], parameters, catalogue.source)
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
    source = catalogue.source(_WORKSPACE_PARAMETER)
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
