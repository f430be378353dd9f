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


# --- What "this machine" is, reports, writes on fresh connections, the right error -------
# The guarantees of the Security, Reliability, Connecting and Webhooks sections about
# loopback names, report sizes, keep-alive writes, timestamps, the sandbox's state file,
# redaction and webhook tokens, each checked against the code that keeps it.


def test_this_machine_is_the_loopback_addresses_the_readme_names() -> None:
    from clockify_actions.loopback import LOOPBACK_ADDRESSES, loopback_addresses

    assert LOOPBACK_ADDRESSES == ("127.0.0.1", "::1")
    for title in ("Security", "Connecting to your Clockify account"):
        assert "127.0.0.1" in prose(title) and "::1" in prose(title), title
    assert "never to what a resolver or hosts file answers" in prose(
        "Connecting to your Clockify account"
    )
    assert "never asks a resolver where it is" in prose("Security")
    for name in ("localhost", "localhost.", "evil.localhost"):
        assert loopback_addresses(name) == LOOPBACK_ADDRESSES, name
    assert "connected to 127.0.0.1 or ::1 whatever a resolver says" in prose("Webhooks")


def test_the_reliability_section_states_the_report_cap_and_the_instants_accepted() -> None:
    from clockify_actions.timeutil import EARLIEST, LATEST, to_wire

    reliability = prose("Reliability")
    report_cap = ClientSettings().max_report_bytes
    assert report_cap < ClientSettings().max_response_bytes
    assert f"larger than {report_cap // 2**20} MiB" in reliability
    assert f"from {to_wire(EARLIEST)} to {to_wire(LATEST)}" in reliability


def test_only_the_writes_never_sent_again_get_a_connection_of_their_own() -> None:
    from clockify_actions.clockify.retry import Outcome, is_retried

    assert (
        "Each `POST` and `PATCH` (the writes that are never sent again) goes on a connection "
        "of its own; reads, `PUT` and `DELETE` reuse pooled ones" in prose("Reliability")
    )
    assert not any(is_retried(method, Outcome.BROKEN) for method in ("POST", "PATCH"))
    assert all(is_retried(method, Outcome.BROKEN) for method in ("GET", "PUT", "DELETE"))


def test_only_a_file_with_an_sqlite_header_is_corrupt_state_as_the_readme_says(
    tmp_path: Path,
) -> None:
    from clockify_actions.sandbox import Sandbox, StateFileError

    reliability = prose("Reliability")
    assert "Only a file with an SQLite header can be corrupt sandbox state" in reliability
    assert "a state file it can read but not write is refused when it is opened" in reliability
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    try:
        Sandbox.open(notes)
    except StateFileError as error:
        assert error.problem == "foreign" and "--force" in str(error)
    else:
        raise AssertionError("a text file was taken for sandbox state")


def test_a_key_spelt_out_is_redacted_as_the_security_section_says() -> None:
    from clockify_actions.redact import Redactor

    security = prose("Security")
    assert "spelt out with a space between each character (`k e y 1 2 3`)" in security
    key = "k3y-Spelt0ut-Ab12"
    assert key[:8] not in "".join(Redactor([key]).text(" ".join(key)).split())


def test_the_webhook_guarantees_are_stated() -> None:
    assert "is a `validation_error`, from Python and `webhook verify` alike" in prose("Webhooks")
    security = prose("Security")
    assert "Webhook tokens are compared byte for byte." in security
    assert "a token that is not valid UTF-8" in security and "`config_error`" in security
