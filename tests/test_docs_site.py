"""The documentation is a site that builds: `mkdocs build --strict` passes (no broken link,
no page left out of the nav), every action and trigger has its section on the reference
pages, and the README names only actions and triggers the pack has."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from clockify_actions.runtime import load_pack

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _anchor(title: str) -> str:
    return "-".join(title.lower().split())


def _nav_pages(nav: Any) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [page for item in nav for page in _nav_pages(item)]
    if isinstance(nav, dict):
        return [page for value in nav.values() for page in _nav_pages(value)]
    return []


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_the_site_builds_in_strict_mode_with_every_page_in_its_nav(site: Path) -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    listed = _nav_pages(config["nav"])
    pages = sorted(path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md"))
    assert sorted(listed) == pages
    assert len(listed) == len(set(listed))
    for page in pages:
        built = site / (page.removesuffix(".md") + "/index.html")
        assert (site / "index.html").is_file() if page == "index.md" else built.is_file(), page


def test_every_action_and_trigger_has_its_section_on_the_built_reference_pages(
    site: Path,
) -> None:
    pack = load_pack()
    pages = {"actions": pack.actions.values(), "triggers": pack.triggers.values()}
    for page, items in pages.items():
        html = (site / page / "index.html").read_text(encoding="utf-8")
        ids = set(re.findall(r'<h3 id="([^"]+)"', html))
        for item in items:
            assert _anchor(item.title) in ids, (page, item.name)
            assert f"<code>{item.name}</code>" in html, (page, item.name)


# A name such as `stop_timer` whose first word is an action's or a trigger's first word
# (list, get, find, new, timer, ...) or that ends in _report, not part of a file name.
NAME = re.compile(r"(?<![\w./-])([a-z]+(?:_[a-z]+)+)(?!\.\w|\w)")


def test_every_action_or_trigger_the_readme_names_exists() -> None:
    pack = load_pack()
    known = set(pack.actions) | set(pack.triggers)
    leads = {name.split("_")[0] for name in known}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # A parameter's name (time_zone) may share its first word with an action's or a trigger's.
    parameters = {
        name
        for part in (*pack.actions.values(), *pack.triggers.values())
        for name in part.parameters.get("properties", {})
    }
    named = {
        word
        for word in NAME.findall(readme)
        if (word.split("_")[0] in leads or word.endswith("_report")) and word not in parameters
    }
    assert {"stop_timer", "find_or_create_task", "summary_report", "new_time_entry"} <= named
    assert named - known == set()
    assert f"**{len(pack.actions)} actions**" in readme
    assert f"**{len(pack.triggers)} triggers**" in readme


def _github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as -."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_link_of_the_readme_lands_on_a_page_and_a_heading_it_has() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#:]+\.md)(?:#([^)]+))?\)", readme)
    assert {"docs/cli.md", "docs/actions.md", "docs/triggers.md", "docs/running.md"} <= {
        page for page, _ in links
    }
    for page, anchor in links:
        target = ROOT / page
        assert target.is_file(), page
        headings = re.findall(r"^#+ (.+)$", target.read_text(encoding="utf-8"), re.M)
        if anchor:
            assert anchor in {_github_slug(h) for h in headings}, f"{page}#{anchor}"
