"""Every file, folder and module of the pack that the README, CONTRIBUTING.md, BENCHMARKS.md
and the docs name exists: code moves, and a page that still points at the old place sends
its reader nowhere."""

from __future__ import annotations

import importlib
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src"
PAGES = sorted(
    [
        ROOT / "README.md",
        ROOT / "CONTRIBUTING.md",
        ROOT / "BENCHMARKS.md",
        *(ROOT / "docs").rglob("*.md"),
    ]
)
# The platform pages name the files `export` writes in the platform's own folders.
EXPORTS = ROOT / "docs" / "platforms"
# A path of this repository in backticks; other repositories' paths (cited as the sources
# of Clockify facts) do not start like these.
PATH = re.compile(
    r"`((?:src/clockify_actions|scripts|tests|actions|triggers|schemas)(?:/[^`\s]*)?)"
)
MODULE = re.compile(r"`(clockify_actions(?:\.[A-Za-z_*<>]+)+)")


def _named(pattern: re.Pattern[str], pages: list[Path]) -> list[tuple[str, str]]:
    return sorted(
        {
            (str(page.relative_to(ROOT)), found)
            for page in pages
            for found in pattern.findall(page.read_text(encoding="utf-8"))
        }
    )


def _found(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # a name inside a module, not a module
        return False


def _as_glob(text: str) -> str:
    """`<resource>` and `<name>` stand for any one name."""
    return re.sub(r"<[^>]+>", "*", text)


def _celery_task_names() -> set[str]:
    from clockify_actions.adapters import celery

    return {value for value in vars(celery).values() if isinstance(value, str)}


@pytest.mark.parametrize(
    ("page", "path"),
    _named(PATH, [page for page in PAGES if not page.is_relative_to(EXPORTS)]),
    ids=lambda value: str(value),
)
def test_every_path_a_page_names_exists(page: str, path: str) -> None:
    path = path.split("::")[0].rstrip(".,:;")
    assert list(ROOT.glob(_as_glob(path).rstrip("/"))), f"{page} names {path}, which is gone"


@pytest.mark.parametrize(("page", "name"), _named(MODULE, PAGES), ids=lambda value: str(value))
def test_every_module_a_page_names_can_be_imported(page: str, name: str) -> None:
    if name in _celery_task_names():
        return
    pattern = _as_glob(name)
    if "*" in pattern:
        # `clockify_actions.resources.<resource>.wire`: some module matching it.
        where = SOURCE.joinpath(*pattern.split("."))
        found = list(SOURCE.glob(str(where.relative_to(SOURCE)) + ".py"))
        assert found or list(SOURCE.glob(str(where.relative_to(SOURCE)))), (
            f"{page} names {name}, which is gone"
        )
        return
    parts = name.split(".")
    cut = next(
        (cut for cut in range(len(parts), 0, -1) if _found(".".join(parts[:cut]))),
        0,
    )
    assert cut, f"{page} names {name}, which is gone"
    target: object = importlib.import_module(".".join(parts[:cut]))
    for attribute in parts[cut:]:
        assert hasattr(target, attribute), f"{page} names {name}, which is gone"
        target = getattr(target, attribute)
