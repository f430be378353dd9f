"""Write src/clockify_actions/pack.json, the manifests read, checked and resolved once, so
that a process loads the pack with `json` instead (or, with --check, fail if the bundle
no longer matches the manifests).

A stale bundle is never used: the runtime compares its digest with the manifests' and
reads the manifests instead. The check keeps that slow path from going unnoticed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import generated
from clockify_actions.runtime import BUNDLE, read_pack

ROOT = Path(__file__).resolve().parents[1]


def render() -> str:
    return json.dumps(read_pack(ROOT), indent=1, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.exit(generated.main(BUNDLE, lambda current: render(), __doc__, "gen_bundle.py"))
