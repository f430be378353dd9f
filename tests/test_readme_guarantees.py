"""The README's error, security and reliability sections state the figures and values the
code uses, so that a change to one shows up as a stale promise in the other."""

from __future__ import annotations

import re
from pathlib import Path

from clockify_actions.clockify.client import MAX_LIST_ITEMS, ClientSettings
from clockify_actions.clockify.errors import MAX_MESSAGE_CHARS
from clockify_actions.clockify.retry import RetrySettings
from clockify_actions.errors import WriteOutcome
from clockify_actions.worker import MAX_LINE_BYTES

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    match = re.search(rf"^#+ {re.escape(title)}\n(.*?)(?=^#+ )", README, re.M | re.S)
    assert match, f"README has no section {title!r}"
    return match.group(1)


def prose(title: str) -> str:
    """The section with its line breaks as spaces, as a reader sees it."""
    return " ".join(section(title).split())


def test_the_errors_section_lists_every_write_outcome_with_what_to_do() -> None:
    errors = section("Errors")
    rows = re.findall(r"^\| `(\w+)` \|", errors, re.M)
    assert rows == [outcome.value for outcome in WriteOutcome]
    assert '{"attempts": n, "outcome": "..."}' in errors


def test_the_errors_example_shows_the_record_a_failed_write_carries() -> None:
    assert '"details": []' not in README
    assert '"details": [{"attempts": 1, "outcome": "not_applied"}]' in section("Errors")


def test_the_reliability_section_states_the_figures_the_code_uses() -> None:
    reliability = prose("Reliability")
    assert f"`MAX_LIST_ITEMS` = {MAX_LIST_ITEMS:,}" in reliability
    assert f"{ClientSettings().max_pages:,} pages" in reliability
    assert f"cut to {MAX_MESSAGE_CHARS:,} characters" in reliability
    assert f"{ClientSettings().max_response_bytes // 2**20} MiB" in reliability
    assert MAX_LINE_BYTES == 2**20 and "at most 1 MiB + 1 byte of a line" in reliability
    assert f"{RetrySettings().deadline:g} s by default" in reliability
