"""The house rules of the code's layout: the runtime's modules each have one job and import
one another one way only, and none of them names an action."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from clockify_actions import Pack

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "clockify_actions" / "runtime"
# Each module with the runtime modules it may import: loading the pack may use defaults,
# running and wording, running may use wording, defaults and wording use neither.
RUNTIME = {
    "pack": {"defaults", "execution", "problems"},
    "defaults": set(),
    "execution": {"problems"},
    "problems": set(),
}


def _imported(module: str) -> set[str]:
    """The `clockify_actions` modules `module` imports anywhere, type-only imports too."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {
        name.removeprefix("clockify_actions.runtime.")
        for name in names
        if name.startswith("clockify_actions.runtime.")
    }


@pytest.mark.parametrize("module", sorted(RUNTIME))
def test_a_runtime_module_imports_only_the_ones_below_it(module: str) -> None:
    assert _imported(module) & RUNTIME.keys() <= RUNTIME[module]


@pytest.mark.parametrize("module", [*sorted(RUNTIME), "__init__"])
def test_the_runtime_names_no_action(pack: Pack, module: str) -> None:
    text = (PACKAGE / f"{module}.py").read_text(encoding="utf-8")
    assert [name for name in pack.actions if name in text] == []
