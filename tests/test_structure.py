"""The house rules of the code's layout: the package's parts import one another one way
only, as the table in CONTRIBUTING.md draws them; the runtime's modules each have one
job and import one another one way only; none of them names an action; an adapter's
library is imported by that adapter alone."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path

import pytest

from clockify_actions import Pack

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src"
PACKAGE = SOURCE / "clockify_actions"
PARTS_TABLE = ROOT / "CONTRIBUTING.md"

# Each runtime module with the runtime modules it may import: loading the pack may use
# every other; running may use the connection rules and the wording; the records, their
# checks; no two of them import each other.
RUNTIME = {
    "pack": {"checks", "connection", "defaults", "execution", "loading", "records", "redact"},
    "records": {"checks", "execution"},
    "loading": {"records"},
    "execution": {"connection", "problems"},
    "connection": {"checks", "problems", "redact"},
    "checks": {"defaults"},
    "defaults": set(),
    "problems": set(),
    "redact": set(),
}
# A third-party library an adapter alone may import, with that adapter (a module, or a
# package and its modules).
ADAPTER_LIBRARIES = {
    "mcp": "clockify_actions.adapters.mcp",
    "mcp_types": "clockify_actions.adapters.mcp",
    "celery": "clockify_actions.adapters.celery",
    "kombu": "clockify_actions.adapters.celery",
    "redis": "clockify_actions.adapters.celery",
    "uvicorn": "clockify_actions.adapters.http",
    "starlette": "clockify_actions.adapters.http",
}


def _between(text: str, marker: str) -> str:
    return text.split(f"<!-- {marker}:", 1)[1].split("-->", 1)[1].split(f"<!-- /{marker}", 1)[0]


def _table() -> tuple[dict[str, list[str]], dict[str, set[str]], set[tuple[str, str]]]:
    """CONTRIBUTING.md's parts: where each is, what each may import, and the arrows it
    allows by name."""
    text = PARTS_TABLE.read_text(encoding="utf-8")
    where: dict[str, list[str]] = {}
    allowed: dict[str, set[str]] = {}
    for line in _between(text, "parts").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("part", "") or set(cells[0]) <= {"-"}:
            continue
        part, places, imports = cells
        where[part] = re.findall(r"`([^`]+)`", places)
        allowed[part] = {name.strip() for name in imports.split(",")}
    exceptions = {
        (source, target)
        for source, target in re.findall(r"`([^`]+)` → `([^`]+)`", _between(text, "exceptions"))
    }
    return where, allowed, exceptions


WHERE, ALLOWED, EXCEPTIONS = _table()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SOURCE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name: str) -> bool:
    path = SOURCE.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _imports(path: Path) -> Iterator[str]:
    """The pack's modules `path` imports, type-only imports too; `from a import b` is
    `a.b` when b is a module."""
    module = _module_name(path) if path.is_relative_to(SOURCE) else ""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                yield f"{base}.{alias.name}" if _is_module(f"{base}.{alias.name}") else base


def _part(module: str) -> str:
    """The part of the table a module of the pack belongs to: a place with a `*` (a
    pattern of paths, such as a resource's emulation) before a whole folder."""
    path = "/".join(module.split(".")[1:])
    for part, places in WHERE.items():
        if any("*" in place and fnmatch(path, place) for place in places):
            return part
    top = module.split(".")[1] if "." in module else "__init__"
    for part, places in WHERE.items():
        if top in places or f"{top}/" in places:
            return part
    raise AssertionError(f"{module} is in no part of the table in CONTRIBUTING.md")


def _allows(part: str, target: str) -> bool:
    rules = ALLOWED[part]
    if _part(target) in rules:
        return True
    if "public runtime" in rules and target == "clockify_actions.runtime":
        return True
    return "public sandbox" in rules and target in (
        "clockify_actions.sandbox",
        "clockify_actions.sandbox.cli",
    )


def _sources() -> list[tuple[str, Path]]:
    found = [(_part(_module_name(path)), path) for path in sorted(PACKAGE.rglob("*.py"))]
    for pattern in WHERE["handlers"]:
        found += [("handlers", path) for path in sorted(ROOT.glob(pattern))]
    return found


def _label(source: tuple[str, Path]) -> str:
    return str(source[1].relative_to(ROOT))


@pytest.mark.parametrize("source", _sources(), ids=_label)
def test_a_module_imports_only_the_parts_its_part_may(source: tuple[str, Path]) -> None:
    part, path = source
    name = str(path.relative_to(PACKAGE)) if path.is_relative_to(PACKAGE) else ""
    wrong = sorted(
        target
        for target in set(_imports(path))
        if target.startswith("clockify_actions")
        and not _allows(part, target)
        and (name, target.removeprefix("clockify_actions.")) not in EXCEPTIONS
    )
    assert wrong == [], f"{part} may import only {sorted(ALLOWED[part])}"


def test_every_part_of_the_package_is_in_the_table() -> None:
    tops = {
        path.name
        for path in PACKAGE.iterdir()
        if (path / "__init__.py").is_file() or path.suffix == ".py"
    }
    placed = {place.rstrip("/") for places in WHERE.values() for place in places}
    assert tops <= placed | {f"{module}.py" for module in placed}


def test_the_client_does_not_know_the_packs_version() -> None:
    # The user agent comes in the client's settings: nothing of the package's root.
    for path in (PACKAGE / "clockify").rglob("*.py"):
        assert "clockify_actions" not in set(_imports(path)), path


@pytest.mark.parametrize("module", sorted(RUNTIME))
def test_a_runtime_module_imports_only_the_ones_below_it(module: str) -> None:
    imported = {
        name.removeprefix("clockify_actions.runtime.")
        for name in _imports(PACKAGE / "runtime" / f"{module}.py")
    }
    assert imported & RUNTIME.keys() <= RUNTIME[module]


@pytest.mark.parametrize("module", [*sorted(RUNTIME), "__init__"])
def test_the_runtime_names_no_action(pack: Pack, module: str) -> None:
    text = (PACKAGE / "runtime" / f"{module}.py").read_text(encoding="utf-8")
    assert [name for name in pack.actions if name in text] == []


@pytest.mark.parametrize("library", sorted(ADAPTER_LIBRARIES))
def test_an_adapters_library_is_imported_by_that_adapter_alone(library: str) -> None:
    importers = {
        _module_name(path)
        for path in PACKAGE.rglob("*.py")
        if any(name.split(".")[0] == library for name in _imports(path))
    }
    adapter = ADAPTER_LIBRARIES[library]
    assert {name for name in importers if not _within(name, adapter)} == set()


def _within(module: str, adapter: str) -> bool:
    return module == adapter or module.startswith(f"{adapter}.")
