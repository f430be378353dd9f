"""An action as an MCP tool, from `Pack.describe`, and a successful call as a tool's
result."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from clockify_actions.adapters.mcp.schemas import runner_notes_removed, served_schema
from clockify_actions.runtime import fillable

if TYPE_CHECKING:
    import mcp_types as types

# Every action talks to Clockify, a service outside the agent's own environment.
OPEN_WORLD = True
DESTRUCTIVE_WARNING = (
    "Destructive: it changes or deletes data that already exists in Clockify, which cannot "
    "be undone; make sure the user wants this first."
)
# The tool that serves another toolset on demand; it is no action, so it never clashes.
ENABLE_TOOLSET = "enable_toolset"
# What a `--read-only` agent is shown instead of a value its schema marks `x-secret`.
WITHHELD = "[withheld: this server is read-only]"


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

    # Each toolset's name and size, not its tools: the list must stay small however far
    # the pack grows (the tools of a toolset are listed once it is served).
    listed = "; ".join(f"{name} ({len(tools)} tools)" for name, tools in offered.items())
    return types.Tool(
        name=ENABLE_TOOLSET,
        title="Serve more Clockify tools",
        description=(f"Serve one more toolset's tools, for a task no listed tool does: {listed}."),
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


def tool_result(envelope: Mapping[str, Any], text: str) -> types.CallToolResult:
    """A successful action's envelope as a tool result: structured, and as JSON text for
    clients that read only text."""
    import mcp_types as types

    return types.CallToolResult(
        content=[types.TextContent(text=text)], structured_content=dict(envelope)
    )
