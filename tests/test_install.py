"""The built wheel carries the actions, schemas and manifest, and works from anywhere."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tarfile
import venv
from pathlib import Path

import pytest

from clockify_actions import load_pack

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_installs_into_a_fresh_venv_and_lists_actions(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(dist),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("clockify_actions-*.whl")
    environment = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(environment)
    python = environment / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [str(environment / "bin" / "clockify-actions"), "list"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    names = [action["name"] for action in json.loads(result.stdout)["actions"]]
    assert names == list(load_pack(ROOT).actions)
    described = subprocess.run(
        [str(environment / "bin" / "clockify-actions"), "describe", "stop_timer"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(described.stdout)["parameters"]["required"] == ["workspace_id", "user_id"]
    quickstart = subprocess.run(
        [str(environment / "bin" / "clockify-actions"), "run", "list_workspaces", "--sandbox"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={"PATH": "/usr/bin:/bin", "CLOCKIFY_SANDBOX_DB": str(tmp_path / "sandbox.sqlite3")},
    )
    assert quickstart.returncode == 0, quickstart.stdout + quickstart.stderr
    assert "My Workspace" in [w["name"] for w in json.loads(quickstart.stdout)["workspaces"]]


def test_the_source_archive_holds_every_file_the_readme_links_to(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (archive,) = tmp_path.glob("clockify_actions-*.tar.gz")
    with tarfile.open(archive) as opened:
        held = {name.split("/", 1)[1] for name in opened.getnames() if "/" in name}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = {
        target.split("#", 1)[0]
        for target in re.findall(r"\]\(([^)\s]+)\)", readme)
        if "://" not in target and not target.startswith("#")
    }
    assert linked, "the README links to files of its own"
    assert sorted(linked - held) == []
