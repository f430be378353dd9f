"""The one command line of the scripts that write a generated file: write it, or with
--check fail (exit 1) when the committed file differs from what would be written."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path


def main(target: Path, render: Callable[[str], str], description: str | None, script: str) -> int:
    """`render` gets the file's current text ("" when absent) and returns the wanted text."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help=f"fail if {target.name} is stale")
    args = parser.parse_args()
    current = target.read_text(encoding="utf-8") if target.is_file() else ""
    wanted = render(current)
    if not args.check:
        target.write_text(wanted, encoding="utf-8")
        return 0
    if current != wanted:
        print(f"{target.name} is stale: run scripts/{script}", file=sys.stderr)
        return 1
    return 0
