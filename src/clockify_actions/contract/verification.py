"""`clockify-actions fixtures verify`: every contract fixture of the pack replayed, the
actions' and the triggers', or one action's or one trigger's."""

from __future__ import annotations

from typing import Any

from clockify_actions.contract.model import fixture_paths, trigger_fixture_paths
from clockify_actions.contract.polls import check_trigger
from clockify_actions.contract.replay import check, summary
from clockify_actions.runtime import Pack


def verify(pack: Pack, action: str | None = None, trigger: str | None = None) -> dict[str, Any]:
    """Every fixture (or one action's, or one trigger's) replayed: a success with the
    counts, or a `contract_error` envelope whose details give the counts, then each
    failure."""
    results = []
    if trigger is None:
        results += [check(pack, path) for path in fixture_paths(pack, action)]
    if action is None:
        results += [check_trigger(pack, path) for path in trigger_fixture_paths(pack, trigger)]
    return summary(results, action or trigger)
