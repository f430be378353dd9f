"""What a scaffold (scripts/new.py) leaves to write: every `FILL:` still in the checkout,
named with its file, its line and what to write there, so that the suite says what is left.
The marker quoted as code (in backticks, as here) is a mention, not a place to fill."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKER = "FILL:"
MENTION = f"`{MARKER}`"
# Where the marker is meant to be: the scaffold, its templates and the tests of both.
MEANT = (
    "scripts/new.py",
    "scripts/templates/",
    "tests/test_fill_markers.py",
    "tests/test_growth.py",
)


def _files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return [name for name in listed.stdout.splitlines() if not name.startswith(MEANT)]


def test_no_file_holds_a_place_left_to_fill() -> None:
    left = []
    for name in _files():
        path = ROOT / name
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if MARKER in line.replace(MENTION, ""):
                left.append(
                    f"{name}:{number}: {line.replace(MENTION, '').split(MARKER, 1)[1].strip()}"
                )
    assert left == [], "left to fill:\n" + "\n".join(left)
