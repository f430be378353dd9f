"""CONTRIBUTING.md's claims about growing the pack, proven by the whole suite on a copy of
the checkout: an action on an emulated route, a new resource with a list and a create
action, and a trigger, each scaffolded by scripts/new.py and filled with what its markers
ask (tests/data/growth/<step>/, each file its path plus `.fill`), the generated files
written and the fixtures recorded. The files each step edits outside its scaffolded
folders and the generated files are counted against the table in CONTRIBUTING.md, and
the whole suite then passes on the copy."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from pathlib import Path

import pytest

from clockify_actions.sandbox import emulated_routes

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("growth")]

ROOT = Path(__file__).resolve().parents[1]
FILLS = ROOT / "tests" / "data" / "growth"
MARKER = "FILL:"
# What is not source: the copy is the checkout as a contributor has it.
NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "__pycache__",
    "*.egg-info",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
    "dist",
    "build",
    "*.sqlite3",
)
# What scripts/generate.py writes: never a hand edit.
GENERATED = re.compile(
    r"^(src/clockify_actions/runtime/pack\.json|schemas/clockify-wire\.json"
    r"|src/clockify_actions/resources/\w+/wire\.py|README\.md|docs/(actions|triggers|coverage)\.md)$"
)
RESOURCES = "src/clockify_actions/resources"


def _edits_stated() -> dict[str, set[str]]:
    """CONTRIBUTING.md's table: for each kind of addition, the files edited outside its
    own folders."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    table = text.split("<!-- growth:", 1)[1].split("-->", 1)[1].split("<!-- /growth", 1)[0]
    stated: dict[str, set[str]] = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("adding", "") and not set(cells[0]) <= {"-"}:
            files = set(re.findall(r"`([^`]+)`", cells[2]))
            assert int(cells[1]) == len(files), line
            stated[cells[0]] = files
    return stated


class Copy:
    """The checkout copied, under git so that each step's edits can be listed, with an
    environment of its own whose `clockify_actions` is the copy's, for every process the
    suite starts too (an MCP server, the console script), whatever environment it gets."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copytree(ROOT, root, ignore=NOT_SOURCE)
        self.git("init", "-q")
        self.commit("the checkout")
        self.executable = _environment_for(root, root.parent / "venv")
        self.environment = {k: v for k, v in os.environ.items() if not k.startswith("CLOCKIFY_")}
        self.environment["CLOCKIFY_SANDBOX_DB"] = str(root.parent / "sandbox.sqlite3")
        self.environment.pop("PYTHONPATH", None)

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", "-c", "user.name=growth", "-c", "user.email=growth@localhost", *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)

    def changed(self) -> set[str]:
        """Every file changed or added since the last commit."""
        listed = self.git("status", "--porcelain", "--untracked-files=all")
        return {line[3:] for line in listed.splitlines()}

    def python(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        """The copy's own code: its src/ first on the path, so that pack_root() is the copy."""
        done = subprocess.run(
            [self.executable, *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            env=self.environment,
            timeout=timeout,
        )
        assert done.returncode == 0, f"{args}:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
        return done

    def scaffold(self, *args: str) -> None:
        self.python("scripts/new.py", *args)

    def fill(self, step: str, scaffolded: list[str]) -> None:
        """Write the step's fills; they answer every marker the scaffold left, no more."""
        marked = {
            path
            for path in self.changed()
            if any(path.startswith(folder) for folder in scaffolded)
            and MARKER in (self.root / path).read_text(encoding="utf-8")
        }
        fills = {
            path.relative_to(FILLS / step).as_posix().removesuffix(".fill"): path
            for path in (FILLS / step).rglob("*.fill")
        }
        in_folders = {p for p in fills if any(p.startswith(f) for f in scaffolded)}
        assert marked <= in_folders, f"no fill for {sorted(marked - in_folders)}"
        for path in in_folders:
            target = self.root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(fills[path].read_text(encoding="utf-8"), encoding="utf-8")

    def edit(self, path: str, old: str, new: str) -> None:
        target = self.root / path
        text = target.read_text(encoding="utf-8")
        assert old in text, f"{path} has no {old!r}"
        target.write_text(text.replace(old, new, 1), encoding="utf-8")

    def finish(self, actions: Sequence[str] = (), triggers: Sequence[str] = ()) -> set[str]:
        """Generate, record the new fixtures; the hand edits of the step."""
        self.python("scripts/generate.py")
        for kind, names in (("--action", actions), ("--trigger", triggers)):
            for name in names:
                self.python("scripts/record_fixtures.py", kind, name)
        self.python("scripts/generate.py", "--check")
        edits = {path for path in self.changed() if not GENERATED.match(path)}
        return edits


def _environment_for(copy: Path, venv: Path) -> str:
    """A virtual environment that imports the copy's package first and this one's
    installed libraries after it, with the copy's console script; its Python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    libraries = sysconfig.get_paths()["purelib"]
    (Path(site) / "growth.pth").write_text(
        f"{copy / 'src'}\nimport site; site.addsitedir({libraries!r})\n", encoding="utf-8"
    )
    script = venv / "bin" / "clockify-actions"
    script.write_text(
        f"#!{python}\nimport sys\nfrom clockify_actions.adapters.cli import main\n"
        "sys.exit(main())\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return str(python)


def _outside(edits: set[str], folders: list[str]) -> set[str]:
    return {path for path in edits if not any(path.startswith(f) for f in folders)}


def _fill_text(step: str, name: str) -> str:
    return (FILLS / step / f"{name}.fill").read_text(encoding="utf-8")


def grow(copy: Copy) -> None:
    """The three additions, each checked against CONTRIBUTING.md's count once made."""
    stated = _edits_stated()

    # (a) An action on a route the sandbox emulates already, which no action calls yet.
    assert not (ROOT / "actions" / "list_user_managers").exists()
    folders = ["actions/list_user_managers/"]
    route = "GET /workspaces/{workspaceId}/users/{userId}/managers"
    assert ("GET", "/workspaces/{workspace}/users/{user}/managers") in {
        (r.method, r.path) for r in emulated_routes()
    }
    copy.scaffold("action", "list_user_managers", "--route", route, "--resource", "users")
    copy.fill("action", folders)
    assert _outside(copy.finish(["list_user_managers"]), folders) == stated["an action"]
    copy.commit("list_user_managers")

    # (b) A resource the sandbox does not emulate yet, with a list and a create action.
    assert not (ROOT / RESOURCES / "holidays").exists()
    resource = f"{RESOURCES}/holidays/"
    folders = [resource, "actions/list_holidays/", "actions/create_holiday/"]
    copy.scaffold("resource", "holidays")
    for name, verb in (("list_holidays", "GET"), ("create_holiday", "POST")):
        route = f"{verb} /workspaces/{{workspaceId}}/holidays"
        copy.scaffold("action", name, "--route", route, "--resource", "holidays")
    copy.fill("resource", folders)
    doc = (copy.root / "docs" / "clockify-api.md").read_text(encoding="utf-8")
    section = doc[doc.rindex("\n## ") :]
    assert MARKER in section
    copy.edit("docs/clockify-api.md", section, _fill_text("resource", "clockify-api-section.md"))
    common = (copy.root / "schemas" / "common.yaml").read_text(encoding="utf-8")
    copy.edit("schemas/common.yaml", common, common + _fill_text("resource", "common-defs.yaml"))
    edits = copy.finish(["list_holidays", "create_holiday"])
    assert f"{resource}wire.py" in copy.changed()
    assert _outside(edits, folders) == stated["a resource"]
    copy.commit("holidays")

    # (c) A trigger, on an event no trigger reports yet.
    assert not (ROOT / "triggers" / "tag_deleted").exists()
    folders = ["triggers/tag_deleted/"]
    route = "GET /workspaces/{workspaceId}/entities/deleted?type=TAGS"
    copy.scaffold("trigger", "tag_deleted", "--route", route)
    copy.fill("trigger", folders)
    assert _outside(copy.finish(triggers=["tag_deleted"]), folders) == stated["a trigger"]
    copy.commit("tag_deleted")


def test_each_addition_edits_what_contributing_says_and_the_whole_suite_passes(
    tmp_path: Path,
) -> None:
    copy = Copy(tmp_path / "pack")
    grow(copy)

    # The whole suite, on the copy's code, but this test.
    report = tmp_path / "suite.xml"
    started = time.monotonic()
    suite = subprocess.run(
        [
            copy.executable,
            "-m",
            "pytest",
            "-q",
            "-n",
            "2",
            "-p",
            "no:cacheprovider",
            "--ignore",
            "tests/test_growth.py",
            f"--junitxml={report}",
        ],
        cwd=copy.root,
        capture_output=True,
        text=True,
        env=copy.environment,
        timeout=3600,
    )
    elapsed = time.monotonic() - started
    assert suite.returncode == 0, suite.stdout[-8000:] + suite.stderr[-4000:]

    # What the suite spends on each new action: the tests whose ids name it.
    added = ["list_user_managers", "list_holidays", "create_holiday", "tag_deleted"]
    cost = dict.fromkeys(added, 0.0)
    counts = dict.fromkeys(added, 0)
    for case in ElementTree.parse(report).iter("testcase"):
        for name in added:
            if re.search(rf"\b{name}\b", case.get("name", "")):
                cost[name] += float(case.get("time", "0"))
                counts[name] += 1
    print(f"\nthe whole suite on the copy: {elapsed:.0f} s")
    for name in added:
        print(f"{name}: {counts[name]} tests naming it, {cost[name]:.2f} s")
    assert all(counts[name] > 0 for name in added[:3]), counts
