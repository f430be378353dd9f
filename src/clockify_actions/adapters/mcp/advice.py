"""What an agent is told after a failed call: what the failure means and what to do
next, naming the tool that gives a valid id."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from clockify_actions.errors import ErrorType

if TYPE_CHECKING:
    import mcp_types as types

# Clockify names what it could not find first: "Project doesn't belong to Workspace",
# "Time entry doesn't belong to Workspace", "Tag doesn't belong to Workspace"
# (api-facts-2 §13.1, §19.1, §22); an id parameter is named after its kind.
_ID_PARAMETER = re.compile(r"([a-z_]+?)_ids?")
WORKSPACE_PARAMETER = "workspace_id"


def id_sources(described: Iterable[Mapping[str, Any]]) -> dict[str, tuple[str, ...]]:
    """Which tools give the id a parameter takes, best first: the manifest's
    `options_from` row each such parameter carries as `x-options-from` (the actions that
    find one by name, then the one that lists them all)."""
    sources: dict[str, tuple[str, ...]] = {}
    for action in described:
        for name, schema in action["parameters"]["properties"].items():
            if row := schema.get("x-options-from"):
                sources[name] = (*row.get("find", ()), row["action"])
    return sources


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
    id_parameters: Collection[str],
) -> str:
    """What an agent should do after `tool_name` failed with `error`, in words, naming the
    tool to call. `source(parameter)` says how to get a valid id for a parameter, one of
    `id_parameters`."""
    kind = ErrorType(error["type"])
    what, then = ERROR_ADVICE[kind]
    retry = f"call {tool_name} again"
    pointed = pointed_parameters(error, parameters)
    if kind == ErrorType.PERMISSION:
        # Clockify's 403 for a workspace the key's user cannot reach (api-facts-2 §1.2).
        pointed = pointed or [name for name in parameters if name == WORKSPACE_PARAMETER]
    finders = [f"{how} to get a valid {name}" for name in pointed if (how := source(name))]
    if finders and kind in (ErrorType.VALIDATION, ErrorType.NOT_FOUND, ErrorType.PERMISSION):
        then = f"Call {'; '.join(finders)}, then {{retry}}."
    # "Project with this name already exists": the existing one's id is a find away.
    existing = pointed_parameters(error, id_parameters) if kind == ErrorType.CONFLICT else []
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
