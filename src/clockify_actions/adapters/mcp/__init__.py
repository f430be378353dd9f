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

The SDK is the optional `mcp` extra. It is imported only by this package, and only when
the server starts, so neither the core install nor the other commands pay for it.

The package in parts: `schemas` (what a served schema leaves out), `toolsets` (which
actions are served), `tools` (an action as a tool), `advice` (what an agent is told
after a failure) and `server` (the session and serving).
"""

from clockify_actions.adapters.mcp.advice import id_sources, next_step
from clockify_actions.adapters.mcp.schemas import runner_notes_removed, served_schema
from clockify_actions.adapters.mcp.server import INSTALL, serve
from clockify_actions.adapters.mcp.tools import (
    DESTRUCTIVE_WARNING,
    ENABLE_TOOLSET,
    WITHHELD,
    served_parameters,
    tool_description,
)
from clockify_actions.adapters.mcp.toolsets import (
    ALL_TOOLSETS,
    DEFAULT_TOOLSETS,
    served_actions,
    toolsets,
)

__all__ = [
    "ALL_TOOLSETS",
    "DEFAULT_TOOLSETS",
    "DESTRUCTIVE_WARNING",
    "ENABLE_TOOLSET",
    "INSTALL",
    "WITHHELD",
    "id_sources",
    "next_step",
    "runner_notes_removed",
    "serve",
    "served_actions",
    "served_parameters",
    "served_schema",
    "tool_description",
    "toolsets",
]
