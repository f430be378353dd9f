"""An action that calls a paid module's routes names that module (`feature:`), as the
sandbox's routes declare it, so that its refusal says what the module needs; an action of
no paid module names none."""

from __future__ import annotations

import re

import pytest

from clockify_actions import load_pack
from clockify_actions.sandbox._resources import Route, routes

PACK = load_pack()
_PARAMETER = re.compile(r"\{[^}]*\}")


def _shape(path: str) -> str:
    return _PARAMETER.sub("{}", path.partition("?")[0])


def _feature_of(line: str) -> str | None:
    """The module of the sandbox route a `clockify:` line names."""
    host = "reports" if line.endswith(" (reports host)") else "api"
    method, _, path = line.removesuffix(" (reports host)").partition(" ")
    found: list[Route] = [
        route
        for route in routes(host)
        if _shape(route.path) == _shape(path) and route.handlers.get(method) is not None
    ]
    assert found, f"the sandbox does not emulate {line}"
    return found[0].feature


@pytest.mark.parametrize("name", PACK.actions)
def test_an_action_names_the_paid_module_of_its_routes(name: str) -> None:
    action = PACK.actions[name]
    modules = {_feature_of(line) for line in action.clockify} - {None}
    named = None if action.feature is None else action.feature["name"]
    if modules:
        # One of them, where a call may use either (a member's hourly and cost rates).
        assert named in modules, f"{name} calls routes of {sorted(modules)}"  # type: ignore[operator]
    else:
        assert named is None, f"{name} calls no route of {named}"
