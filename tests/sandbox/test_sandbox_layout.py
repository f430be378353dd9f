"""The sandbox's layout: its core finds the resources and names none of them, and each
resource's emulation lives in its own folder, built on the core alone."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from clockify_actions.sandbox._resources import resources

from .sandbox_testkit import ROOT

PACKAGE = ROOT / "src" / "clockify_actions"
CORE = sorted((PACKAGE / "sandbox").glob("*.py"))
EMULATION = sorted((PACKAGE / "resources").glob("*/sandbox*.py"))
FOLDERS = sorted(path.name for path in (PACKAGE / "resources").iterdir() if path.is_dir())


def _imports(path: Path) -> set[str]:
    """The modules the file imports anywhere; `from clockify_actions.sandbox import _docs`
    as the module `clockify_actions.sandbox._docs`."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module == "clockify_actions.sandbox":
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
    return found


@pytest.mark.parametrize("path", CORE, ids=lambda path: path.name)
def test_the_sandbox_core_imports_no_resource(path: Path) -> None:
    assert [name for name in _imports(path) if "resources" in name.split(".")] == []


def _allowed(name: str) -> bool:
    top = name.partition(".")[0]
    if top in sys.stdlib_module_names or name == "__future__":
        return True
    parts = name.split(".")
    core = parts[:2] == ["clockify_actions", "sandbox"] and len(parts) == 3
    emulation = parts[:2] == ["clockify_actions", "resources"] and len(parts) == 4
    return (core and parts[2].startswith("_")) or (emulation and parts[3].startswith("sandbox"))


@pytest.mark.parametrize("path", EMULATION, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_a_resource_emulation_imports_only_the_sandbox_core_and_the_standard_library(
    path: Path,
) -> None:
    assert sorted(name for name in _imports(path) if not _allowed(name)) == []


def test_every_emulating_folder_is_found() -> None:
    emulating = sorted({path.parent.name for path in EMULATION})
    assert sorted(resources()) == emulating
    assert set(emulating) <= set(FOLDERS)


@pytest.mark.parametrize("folder", sorted({path.parent.name for path in EMULATION}))
def test_a_resource_emulation_imports_first_on_its_own(folder: str) -> None:
    """Imported before anything else of the pack (as discovery or a test may), a resource's
    emulation loads the core without the core loading it back half-built."""
    module = f"clockify_actions.resources.{folder}.sandbox"
    code = f"import {module} as m; assert m.RESOURCE.routes or m.RESOURCE.seed"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
