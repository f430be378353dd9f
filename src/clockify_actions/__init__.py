"""Clockify actions for workflow platforms, scripts and AI agents.

from clockify_actions import load_pack
pack = load_pack()
pack.run("list_workspaces", {}, api_key="...")  # the envelope, never raises
pack.call("list_workspaces", {}, api_key="...")  # the result, or raises ActionFailed
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from clockify_actions.errors import ActionFailed
    from clockify_actions.runtime import Pack, load_pack

__all__ = ["ActionFailed", "Pack", "__version__", "load_pack"]


def __getattr__(name: str) -> Any:
    # Lazy, so that `import clockify_actions` (and the CLI's start) stays cheap.
    if name in ("Pack", "load_pack"):
        from clockify_actions import runtime

        return getattr(runtime, name)
    if name == "ActionFailed":
        from clockify_actions.errors import ActionFailed

        return ActionFailed
    raise AttributeError(name)
