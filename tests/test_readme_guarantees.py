"""The documentation's error, security and reliability sections (README.md and the pages
under docs/) state the figures and values the code uses, so that a change to one shows up
as a stale promise in the other."""

from __future__ import annotations

import re
from pathlib import Path

from clockify_actions.adapters.worker import MAX_LINE_BYTES
from clockify_actions.clockify.errors import MAX_MESSAGE_CHARS
from clockify_actions.clockify.retry import RetrySettings
from clockify_actions.clockify.settings import MAX_LIST_ITEMS, ClientSettings
from clockify_actions.errors import WriteOutcome

ROOT = Path(__file__).resolve().parents[1]
# Every page a guarantee may be stated on: the README and the documentation site's pages.
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
README = "\n".join(page.read_text(encoding="utf-8") for page in PAGES)


def section(title: str) -> str:
    """The section of that title, on whichever page states it (it ends at the next heading,
    or at the end of its page)."""
    found = [
        match.group(1)
        for page in PAGES
        if (
            match := re.search(
                rf"^#+ {re.escape(title)}\n(.*?)(?=^#+ |\Z)",
                page.read_text(encoding="utf-8"),
                re.M | re.S,
            )
        )
    ]
    assert len(found) == 1, f"{len(found)} pages have a section {title!r}"
    return found[0]


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


# --- One name, one item; answers about what was asked; updates that meet another's change ---
# The README's "Retries, duplicates and your key" and "Reliability" words, checked against
# what the pack does.

import unicodedata  # noqa: E402
from typing import Any  # noqa: E402

from clockify_actions import Pack  # noqa: E402
from clockify_actions.clockify.errors import may_be_taken_name  # noqa: E402
from clockify_actions.errors import EXIT_CODES, ActionError, ErrorType  # noqa: E402
from clockify_actions.resources.common.lookup import SAME_NAME, clean_name, name_key  # noqa: E402
from conftest import API_KEY, FAST  # noqa: E402
from fake_clockify import ENTRY, PROJECT, USER, WS, FakeClockify, project, time_entry  # noqa: E402

_OTHER = "8c4d5e6f7a8b9c0d1e2f3aff"
_FINISHED = ("2026-01-28T09:00:00Z", "2026-01-28T10:30:00Z", "PT1H30M")
_ENTRY_PATH = f"/workspaces/{WS}/time-entries/{ENTRY}"
_PROJECT_PATH = f"/workspaces/{WS}/projects/{PROJECT}"
_TIMER_PATH = f"/workspaces/{WS}/user/{USER}/time-entries"


def _bullet(title: str, lead: str) -> str:
    """The bullet of a README section that opens with `lead`, as a reader sees it."""
    match = re.search(rf"- \*\*{re.escape(lead)}\*\*(.*?)(?=\n- |\Z)", section(title), re.S)
    assert match, f"{title!r} has no bullet {lead!r}"
    return " ".join(match.group(1).split())


def _on_fake(pack: Pack, fake: FakeClockify, action: str, params: dict[str, Any]) -> Any:
    return pack.run(action, params, api_key=API_KEY, transport=fake.transport, settings=FAST)


def test_the_readme_says_what_one_name_means_and_the_pack_sends_names_in_that_form() -> None:
    words = _bullet("Retries, duplicates and your key", "One name, one item.")
    assert SAME_NAME in words
    assert "(trimmed, one space between words, Unicode NFC)" in words
    decomposed = unicodedata.normalize("NFD", "Café  Crème ")
    assert clean_name(decomposed) == unicodedata.normalize("NFC", "Café Crème")
    assert name_key(decomposed) == name_key("CAFÉ CRÈME")
    assert "whatever language Clockify words the refusal in" in words
    german = ActionError(
        ErrorType.REJECTED, "Kunde existiert bereits.", http_status=400, clockify_code=501
    )
    assert may_be_taken_name(german)


# An answer about another record, for each action the README names.
_ABOUT_ANOTHER = {
    "get_time_entry": ({"time_entry_id": ENTRY}, "GET", _ENTRY_PATH,
                       time_entry(*_FINISHED, id=_OTHER)),
    "get_project": ({"project_id": PROJECT}, "GET", _PROJECT_PATH,
                    project(workspaceId=_OTHER)),
    "get_running_timer": ({"user_id": USER}, "GET", _TIMER_PATH,
                          [time_entry("2026-01-28T09:00:00Z", None, None, userId=_OTHER)]),
    "update_time_entry": ({"time_entry_id": ENTRY, "billable": True}, "GET", _ENTRY_PATH,
                          time_entry(*_FINISHED, id=_OTHER)),
    "update_project": ({"project_id": PROJECT, "archived": True}, "GET", _PROJECT_PATH,
                       project(id=_OTHER)),
    "stop_timer": ({"user_id": USER}, "PATCH", _TIMER_PATH,
                   time_entry(*_FINISHED, userId=_OTHER)),
}  # fmt: skip


def test_every_action_the_readme_names_refuses_an_answer_about_another_record(
    pack: Pack,
) -> None:
    words = _bullet("Reliability", "An answer about another record is never used.")
    named = re.findall(r"`([a-z_]+)`", words.split("record (", 1)[1].split(")", 1)[0])
    assert sorted(named) == sorted(_ABOUT_ANOTHER)
    assert 'a write answered that way says `"outcome": "applied"`' in words
    for action, (params, method, path, body) in _ABOUT_ANOTHER.items():
        fake = FakeClockify().answer(method, path, body=body)
        error = _on_fake(pack, fake, action, {"workspace_id": WS, **params})["error"]
        assert error["type"] == "contract_error", action
        sent = [s.method for s in fake.sent]
        assert "PUT" not in sent, action  # an update's read about another record writes nothing
        if method == "PATCH":
            assert {"attempts": 1, "outcome": "applied"} in error["details"]


def test_an_updates_answer_showing_another_change_is_the_conflict_the_readme_describes(
    pack: Pack,
) -> None:
    words = _bullet("Reliability", "An update does not hide a change it can see.")
    assert EXIT_CODES[ErrorType.CONFLICT] == 5 and "`conflict` (exit 5)" in words
    assert '"outcome": "applied"' in words and "both values in `details`" in words
    read = time_entry(*_FINISHED, description="Planning")
    fake = FakeClockify().answer("GET", _ENTRY_PATH, body=read)
    fake.answer("PUT", _ENTRY_PATH, body={**read, "billable": True, "description": "Sam's"})
    params = {"workspace_id": WS, "time_entry_id": ENTRY, "billable": True}
    error = _on_fake(pack, fake, "update_time_entry", params)["error"]
    assert error["type"] == "conflict"
    change = next(d for d in error["details"] if d.get("path") == "/description")
    assert (change["read"], change["answered"]) == ("Planning", "Sam's")
    assert {"attempts": 1, "outcome": "applied"} in error["details"]
    assert '"read": "as the update read it"' in section("Errors")


def test_contradicting_times_cost_no_request_as_the_readme_says(pack: Pack) -> None:
    words = _bullet("Reliability", "Contradicting inputs cost no request.")
    assert "`validation_error` before anything is sent" in words
    fake = FakeClockify()
    params = {"workspace_id": WS, "time_entry_id": ENTRY,
              "start": "2026-01-28T11:00:00Z", "end": "2026-01-28T10:00:00Z"}  # fmt: skip
    assert _on_fake(pack, fake, "update_time_entry", params)["error"]["type"] == "validation_error"
    assert fake.sent == []
    assert '(path `""`)' in words
    stored_badly = time_entry("2026-01-28T11:00:00Z", "2026-01-28T10:00:00Z", "PT0S")
    fake = FakeClockify().answer("GET", _ENTRY_PATH, body=stored_badly)
    params = {"workspace_id": WS, "time_entry_id": ENTRY, "description": "x"}
    error = _on_fake(pack, fake, "update_time_entry", params)["error"]
    assert [d["path"] for d in error["details"] if "path" in d] == [""]
    assert [s.method for s in fake.sent] == ["GET"]


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
    from clockify_actions.runtime.redact import Redactor

    security = prose("Security")
    assert "spelt out with a space between each character (`k e y 1 2 3`)" in security
    key = "k3y-Spelt0ut-Ab12"
    assert key[:8] not in "".join(Redactor([key]).text(" ".join(key)).split())


def test_the_webhook_guarantees_are_stated() -> None:
    assert "is a `validation_error`, from Python and `webhook verify` alike" in prose("Webhooks")
    security = prose("Security")
    assert "Webhook tokens are compared byte for byte." in security
    assert "a token that is not valid UTF-8" in security and "`config_error`" in security


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

    from clockify_actions.resources.common.polling import CLOCK_SKEW, OVERLAP
    from clockify_actions.runtime import load_pack

    guarantees = prose("Guarantees")
    assert timedelta(minutes=10) == OVERLAP and "less 10 minutes of overlap" in guarantees
    assert timedelta(hours=1) == CLOCK_SKEW
    assert "loses nothing (without a `Date` header, by up to an hour ahead)" in guarantees
    # Each trigger's own guarantee, in the table made from trigger.yaml, states its bound.
    table = section("Guarantees").split("<!-- guarantees:start -->")[1]
    rows = [row for row in table.splitlines() if row.startswith("| `")]
    assert len(rows) == len(load_pack().triggers)
    for row in rows:
        assert "clock" in row, row


def test_the_readme_states_the_baseline_and_whose_a_state_is() -> None:
    contract = prose("The polling contract")
    assert "nothing created before it is delivered by a later poll" in contract
    assert "A state names the trigger that wrote it and the workspace it watches." in contract
    assert "written for another workspace" in contract and "`validation_error`" in contract
    assert "`--state` must be a regular file, or a path where none exists yet" in contract
    assert "is a `config_error` naming the path, which is left untouched" in contract
