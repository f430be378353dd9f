"""The benchmark runs: its smoke mode measures everything at tiny sizes and writes
nothing. Nothing is asserted about speed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "BENCHMARKS.md"


@pytest.mark.slow
def test_the_smoke_run_measures_all_five_and_leaves_the_report_alone() -> None:
    before = REPORT.read_bytes() if REPORT.exists() else None
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "--smoke"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ")]
    assert [row.split("|")[1].strip() for row in rows[1:12]] == [
        *("1", "1b", "2", "2a", "2b", "3", "3b", "4"),
        *("5", "5b", "5c"),
    ]
    assert (REPORT.read_bytes() if REPORT.exists() else None) == before
