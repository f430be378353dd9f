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
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "--quick"],
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

    # The floors of the canned stand-in: three seed actions on loopback and with no
    # network, and the growth cases (lists, a report and a poll), each measured.
    numbers = [row.split("|")[1].strip() for row in rows]
    assert numbers.count("7") == 3 and numbers.count("7b") == 3
    growth = [row for row in rows if row.split("|")[1].strip() == "8"]
    assert [row.split("|")[2].split(",")[0].strip() for row in growth] == [
        "`list_projects`",
        "`list_time_entries`",
        "`detailed_report`",
        "`new_time_entry` poll",
    ]
    assert all(" ms " in row and "MiB" in row for row in growth)
    # Cold starts of seed actions, both reports and a poll against the stand-in.
    assert numbers.count("9") == 7
    # The worker beside a bare httpx loop over one connection to the stand-in.
    assert numbers.count("10") == 1
