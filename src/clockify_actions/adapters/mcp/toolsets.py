"""Which actions a server serves: the toolsets, chosen or by default, the actions
chosen by name, and with `--read-only` only those that change nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from clockify_actions.errors import ActionError, ErrorType

if TYPE_CHECKING:
    from clockify_actions.runtime import Pack

# What an agent host is served when it names no toolset: the everyday loop of time tracking.
DEFAULT_TOOLSETS = ("time_tracking",)
ALL_TOOLSETS = "all"


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
