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


# --- Triggers: the polling contract, its guarantees, and lost output -------------------
# Each README sentence below is a promise the trigger tests (tests/test_polling_edges.py,
# tests/test_output_lost.py, tests/test_polling_property.py) hold the code to.


def test_the_readme_states_the_lost_output_exit_code_the_cli_uses() -> None:
    from clockify_actions.output import OUTPUT_LOST_EXIT_CODE

    codes = section("Exit codes")
    assert re.search(rf"^\| {OUTPUT_LOST_EXIT_CODE} \| the output was lost: ", codes, re.M)
    reliability = prose("Reliability")
    assert "Lost output is never a success, and never a traceback." in reliability
    assert f"exits {OUTPUT_LOST_EXIT_CODE}, whatever its outcome" in reliability
    assert "leaves its state file as it was, so the next poll delivers the same events" in (
        reliability
    )
    contract = prose("The polling contract")
    assert f"the state file is left as it was and `poll` exits {OUTPUT_LOST_EXIT_CODE}" in (
        contract
    )


def test_the_readme_states_that_polls_share_one_deadline_and_item_cap() -> None:
    reliability = prose("Reliability")
    assert "Polls are bounded like lists." in reliability
    assert "share one retry deadline and one cap of `MAX_LIST_ITEMS` items" in reliability
    assert f"`MAX_LIST_ITEMS` = {MAX_LIST_ITEMS:,}" in reliability


def test_the_readme_states_the_clock_skew_the_triggers_bear() -> None:
    from datetime import timedelta

    from clockify_actions.polling import CLOCK_SKEW, OVERLAP

    guarantees = prose("Guarantees")
    assert timedelta(minutes=10) == OVERLAP and "less 10 minutes of overlap" in guarantees
    assert timedelta(hours=1) == CLOCK_SKEW
    assert "loses nothing (without a `Date` header, by up to an hour ahead)" in guarantees
    # Each trigger's own guarantee, in the table made from trigger.yaml, states its bound.
    table = section("Guarantees").split("<!-- guarantees:start -->")[1]
    rows = [row for row in table.splitlines() if row.startswith("| `")]
    assert len(rows) == 7
    for row in rows:
        assert "clock" in row, row


def test_the_readme_states_the_baseline_and_whose_a_state_is() -> None:
    contract = prose("The polling contract")
    assert "nothing created before it is delivered by a later poll" in contract
    assert "A state names the trigger that wrote it and the workspace it watches." in contract
    assert "written for another workspace" in contract and "`validation_error`" in contract
    assert "`--state` must be a regular file, or a path where none exists yet" in contract
    assert "is a `config_error` naming the path, which is left untouched" in contract
