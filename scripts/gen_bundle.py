"""Write src/clockify_actions/pack.json, the manifests read, checked and resolved once, so
that a process loads the pack with `json` instead (or, with --check, fail if the bundle
no longer matches the manifests).

A stale bundle is never used: the runtime compares its digest with the manifests' and
reads the manifests instead. The check keeps that slow path from going unnoticed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from clockify_actions.runtime import BUNDLE, read_pack

ROOT = Path(__file__).resolve().parents[1]


def render() -> str:
    return json.dumps(read_pack(ROOT), indent=1, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if pack.json is not up to date")
    args = parser.parse_args()
    wanted = render()
    if args.check:
        current = BUNDLE.read_text(encoding="utf-8") if BUNDLE.is_file() else ""
        if current != wanted:
            print(f"{BUNDLE} is stale: run scripts/gen_bundle.py", file=sys.stderr)
            return 1
        return 0
    BUNDLE.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
