"""The bundle (src/clockify_actions/runtime/pack.json) is the manifests, resolved: never stale,
never trusted when the manifests have changed, and enough for a run on its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from clockify_actions.runtime import load_pack

ROOT = Path(__file__).resolve().parents[1]


def test_every_generated_file_is_fresh() -> None:
    """The bundle, the wire schemas, the README's index and the reference pages are what
    the generate command writes from the sources committed beside them."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr


def test_a_stale_bundle_is_ignored(pack_copy: Path) -> None:
    assert load_pack(pack_copy).actions["stop_timer"].title == "Stop Clockify timer"
    manifest = pack_copy / "actions" / "stop_timer" / "action.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            "title: Stop Clockify timer", "title: Stop the Clockify timer"
        ),
        encoding="utf-8",
    )
    assert load_pack(pack_copy).actions["stop_timer"].title == "Stop the Clockify timer"


@pytest.mark.parametrize("command", [["list"], ["run", "list_workspaces", "--dry-run"]])
def test_a_command_imports_no_yaml_or_jsonschema(command: list[str]) -> None:
    probe = (
        "import sys\n"
        "from clockify_actions.adapters.cli import main\n"
        f"code = main({command!r})\n"
        "heavy = {'yaml', 'jsonschema', 'referencing'} & set(sys.modules)\n"
        "print(sorted(heavy), file=sys.stderr)\n"
        "sys.exit(code or (1 if heavy else 0))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={**os.environ, "CLOCKIFY_API_KEY": "k" * 20},
    )
    assert result.returncode == 0, result.stderr
