"""The triggers' contract fixtures, and the standard tests every trigger gets from its
declarations: each fixture replays to its expected polls, every event and state holds the
trigger's schemas, every trigger has the standard cases, and what its guarantee says one
poll costs is what its fixtures spend."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from clockify_actions import load_pack
from clockify_actions.contract import (
    CASSETTES_FOLDER,
    FIXTURES_FOLDER,
    Step,
    TriggerFixture,
    case_id,
    check_trigger,
    trigger_fixture_paths,
)

PACK = load_pack()
PATHS = trigger_fixture_paths(PACK)
TRIGGERS = list(PACK.triggers)


def _fixtures(name: str) -> list[TriggerFixture]:
    return [TriggerFixture.load(PACK, path) for path in trigger_fixture_paths(PACK, name)]


def _succeeds(step: Step) -> bool:
    return "events" in step.expect


@pytest.mark.parametrize("path", PATHS, ids=[case_id(path) for path in PATHS])
def test_trigger_fixture_replays_to_its_expected_polls(
    path: Path, network_attempts: list[object]
) -> None:
    result = check_trigger(PACK, path)
    assert result.passed, "\n".join(result.problems)
    trigger = PACK.triggers[result.case.split("/")[0]]
    assert len(result.polls) == len(TriggerFixture.load(PACK, path).steps)
    for envelope in result.polls:
        if envelope["status"] == "success":
            # The runtime checks both already; the contract asserts it once more.
            assert [e for event in envelope["events"] for e in trigger.event_errors(event)] == []
            assert trigger.state_errors(envelope["state"]) == []
            assert envelope["state"]["trigger"] == trigger.name
    assert network_attempts == []


@pytest.mark.parametrize("name", TRIGGERS)
def test_every_trigger_has_the_standard_fixtures(name: str) -> None:
    fixtures = _fixtures(name)
    assert any(
        not f.steps[0].handed(None)
        and "since" not in f.input
        and f.steps[0].expect.get("events") == []
        for f in fixtures
    ), "no first poll that only sets the baseline"
    assert any(step.expect.get("events") for f in fixtures for step in f.steps), (
        "no poll that delivers an event"
    )
    assert any(_replays_an_older_state(f) for f in fixtures), (
        "no poll from an older, written-out state that delivers the same event_ids again"
    )
    errors = [step.expect["error"] for f in fixtures for step in f.steps if "error" in step.expect]
    assert any(
        (e["type"], e.get("http_status"), e.get("clockify_code")) == ("auth_error", 401, 4003)
        for e in errors
    ), "no bad-API-key fixture"
    assert any(e["type"] != "auth_error" for e in errors), "no error fixture beyond the key"


def _replays_an_older_state(fixture: TriggerFixture) -> bool:
    delivered: list[list[str]] = []
    for step in fixture.steps:
        ids = [event["event_id"] for event in step.expect.get("events", [])]
        if step.written and step.state is not None and ids and ids in delivered:
            return True
        delivered.append(ids)
    return False


def _cost(requests: str, *, first: bool, since: bool, events: int) -> int:
    """What `guarantee.requests` says a poll costs when no list runs to a second page:
    `N per poll`, unless `the first poll M` (and `K with since`), plus `plus 1 per ...`
    for each event of a later poll."""
    per_poll = re.match(r"(\d+) per poll", requests)
    assert per_poll, f"guarantee.requests does not begin with 'N per poll': {requests!r}"
    cost = int(per_poll[1])
    if first:
        first_poll = re.search(r"the first poll (\d+)", requests)
        with_since = re.search(r"(\d+) with since", requests)
        if since and with_since:
            return int(with_since[1])
        return int(first_poll[1]) if first_poll else cost
    return cost + (events if re.search(r"\bplus 1 per\b", requests) else 0)


@pytest.mark.parametrize("name", TRIGGERS)
def test_what_a_poll_costs_is_what_the_guarantee_says(name: str) -> None:
    requests = PACK.triggers[name].guarantee["requests"]
    measured = 0
    for fixture in _fixtures(name):
        held = False  # whether a poll before has returned a state
        for step in fixture.steps:
            first = step.state is None if step.written else not held
            held = held or _succeeds(step)
            # Measurable where the poll succeeded without a retry.
            if not _succeeds(step) or any(not x.split()[1].startswith("2") for x in step.exchanges):
                continue
            expected = _cost(
                requests,
                first=first,
                since="since" in fixture.input,
                events=len(step.expect["events"]),
            )
            assert len(step.exchanges) == expected, (
                f"{fixture.id}: a poll made {step.exchanges}, the guarantee says {expected}"
            )
            measured += 1
    assert measured, "no fixture measures what a poll costs"


def test_every_trigger_cassette_belongs_to_a_fixture() -> None:
    fixtures = {path.with_suffix("") for path in PATHS}
    cassettes = [
        path
        for trigger in PACK.triggers.values()
        for path in (trigger.folder / FIXTURES_FOLDER / CASSETTES_FOLDER).glob("*.yaml")
    ]
    assert cassettes
    assert [c for c in cassettes if c.parents[1] / c.stem not in fixtures] == []


def test_a_poll_that_plays_other_exchanges_than_its_step_lists_fails(pack_copy: Path) -> None:
    # Moving an exchange from one step to the next keeps the cassette whole; only the
    # steps' own lists see that the first poll now costs one request less.
    fixture = pack_copy / "triggers/new_tag/fixtures/baseline_new_and_replay.yaml"
    document = yaml.safe_load(fixture.read_text())
    document["steps"][0]["exchanges"] = []
    document["steps"][1]["exchanges"] = ["GET 200", "GET 200"]
    fixture.write_text(yaml.safe_dump(document))
    result = check_trigger(load_pack(pack_copy), fixture)
    assert not result.passed
    assert "step 1: the poll played ['GET 200'], the step expects []" in result.problems


def test_a_replayed_event_that_differs_fails(pack_copy: Path) -> None:
    fixture = pack_copy / "triggers/new_client/fixtures/baseline_new_and_replay.yaml"
    document = yaml.safe_load(fixture.read_text())
    document["steps"][2]["expect"]["events"][0]["event_id"] = "NEW_CLIENT:64b7c0de5eed00000000ffff"
    fixture.write_text(yaml.safe_dump(document))
    result = check_trigger(load_pack(pack_copy), fixture)
    assert not result.passed
    assert any("step 3: events[0].event_id" in problem for problem in result.problems)
