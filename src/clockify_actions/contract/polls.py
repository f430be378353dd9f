"""A trigger's contract fixtures: a recorded sequence of polls, replayed to prove that the
trigger still sends the same requests, delivers the same events and hands on a state that
the next poll resumes from.

A fixture is `triggers/<name>/fixtures/<case>.yaml` (schemas/trigger-fixture.schema.yaml):
the trigger's input, then its steps, each one poll with its clock (`now`), the sandbox
requests made before it while recording (`setup`, the changes it is to find), the faults
armed for it alone, the state handed in, and what must come out: every event in order (by
the fields given, its `event_id` at least), the parts of the returned state that matter,
or the error. A step that leaves `state` out is handed what the last successful poll
before it returned (none for the first), as a runner does; one that writes a state out
hands in that one, an older state, to prove that a replay delivers the same events.

The steps' HTTP is one cassette, in order: each step must play exactly the exchanges it
lists, so that what one poll costs is part of the contract. A trigger's cassette keeps
each answer's `Date`: its windows follow Clockify's clock (polling.py), so the header is
what the poll reads, not a detail of the moment of recording.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from clockify_actions.clockify import ClientSettings
from clockify_actions.contract.cassettes import ReplayTransport, use_cassette
from clockify_actions.contract.model import (
    CASSETTES_FOLDER,
    HAND_WRITTEN,
    LIVE,
    SANDBOX,
    TRIGGER_FIXTURE_SCHEMA,
    FixtureError,
    case_id,
    client_settings,
    instant,
    pinned_base_url,
    read_document,
)
from clockify_actions.contract.replay import Result, error_problems
from clockify_actions.runtime import Pack, reports_base_url_for
from clockify_actions.runtime.redact import PLACEHOLDER


@dataclass(frozen=True)
class Step:
    """One poll of a trigger fixture."""

    now: datetime
    expect: dict[str, Any]
    exchanges: list[str]
    setup: list[dict[str, Any]]
    faults: list[dict[str, Any]]
    # The state written out in the file (None: none, a first poll), when `written`.
    state: dict[str, Any] | None
    written: bool

    def clock(self) -> datetime:
        return self.now

    def handed(self, held: dict[str, Any] | None) -> dict[str, Any] | None:
        """The state this poll is handed, `held` being the last successful poll's."""
        return self.state if self.written else held


@dataclass(frozen=True)
class TriggerFixture:
    trigger: str
    case: str
    path: Path
    description: str
    recorded: str
    input: dict[str, Any]
    steps: list[Step]
    connection: dict[str, str]
    settings: dict[str, Any]
    api_key: str

    @classmethod
    def load(cls, pack: Pack, path: Path) -> TriggerFixture:
        trigger, case = case_id(path).split("/")
        if trigger not in pack.triggers:
            raise FixtureError(f"{path}: no trigger {trigger!r} in the pack")
        document = read_document(path, TRIGGER_FIXTURE_SCHEMA)
        recorded = document.get("recorded", SANDBOX)
        steps = [
            Step(
                now=instant(path, step["now"]),
                expect=step["expect"],
                exchanges=step["exchanges"],
                setup=step.get("setup", []),
                faults=step.get("faults", []),
                state=step.get("state"),
                written="state" in step,
            )
            for step in document["steps"]
        ]
        if recorded == LIVE:
            raise FixtureError(
                f"{path}: a trigger fixture sets the clock of each poll, which only the "
                "sandbox follows: record it there, or write its cassette by hand"
            )
        if recorded != SANDBOX and any(step.faults for step in steps):
            raise FixtureError(f"{path}: only a sandbox recording can inject faults")
        if recorded.startswith(HAND_WRITTEN) and any(step.setup for step in steps):
            raise FixtureError(f"{path}: a hand-written cassette is never recorded, so no setup")
        fixture = cls(
            trigger=trigger,
            case=case,
            path=path,
            description=document["description"],
            recorded=recorded,
            input=document["input"],
            steps=steps,
            connection=document.get("connection", {}),
            settings=document.get("settings", {}),
            api_key=document.get("api_key", "valid"),
        )
        fixture.base_url()  # a bad region or base URL is the fixture's fault: say so now
        return fixture

    @property
    def id(self) -> str:
        return f"{self.trigger}/{self.case}"

    @property
    def cassette(self) -> Path:
        return self.path.parent / CASSETTES_FOLDER / self.path.name

    def base_url(self) -> str:
        return pinned_base_url(self.path, self.connection)

    def client_settings(self) -> ClientSettings:
        return client_settings(self.settings)

    def polls(
        self,
        pack: Pack,
        *,
        api_key: str,
        transport: httpx.BaseTransport | None = None,
        before: Callable[[Step], None] | None = None,
    ) -> Iterator[tuple[Step, dict[str, Any]]]:
        """Each step with the envelope of its poll, in order, each handed its state;
        `before(step)` is called before each poll (a recording's setup and faults)."""
        held: dict[str, Any] | None = None
        for step in self.steps:
            if before is not None:
                before(step)
            envelope = pack.poll(
                self.trigger,
                self.input,
                step.handed(held),
                api_key=api_key,
                region=self.connection.get("region"),
                base_url=self.base_url(),
                # Pinned too: CLOCKIFY_REPORTS_BASE_URL must not send a replay elsewhere.
                reports_base_url=reports_base_url_for(base_url=self.base_url()),
                transport=transport,
                settings=self.client_settings(),
                clock=step.clock,
            )
            if envelope.get("status") == "success":
                held = envelope["state"]
            yield step, envelope


def check_trigger(pack: Pack, path: Path) -> Result:
    """Replay the trigger fixture at `path` from its cassette alone and compare each poll.

    It fails when the fixture is malformed, a request was not in the cassette, a step
    played other exchanges than it lists, a recorded interaction went unused, or a poll's
    outcome differs from its `expect`. `Result.polls` holds every poll's envelope.
    """
    try:
        fixture = TriggerFixture.load(pack, path)
    except FixtureError as error:
        return Result(case_id(path), [str(error)])
    if not fixture.cassette.is_file():
        return Result(fixture.id, [f"no cassette at {fixture.cassette}"])
    problems: list[str] = []
    envelopes: list[dict[str, Any]] = []
    # Dated as recorded: vcrpy passes what it loads through the recording's filters too.
    with use_cassette(fixture.cassette, "none", dated=True) as cassette:
        # The key a cassette holds is the placeholder: replay sends the same.
        transport = ReplayTransport()
        recorded = [
            f"{request.method} {response['status']['code']}"
            for request, response in zip(cassette.requests, cassette.responses, strict=True)
        ]
        played: set[int] = set()
        polls = fixture.polls(pack, api_key=PLACEHOLDER, transport=transport)
        for number, (step, envelope) in enumerate(polls, start=1):
            envelopes.append(envelope)
            now_played = {index for index, count in cassette.play_counts.items() if count}
            exchanges = [recorded[index] for index in sorted(now_played - played)]
            played = now_played
            if exchanges != step.exchanges:
                problems.append(
                    f"step {number}: the poll played {exchanges}, the step expects {step.exchanges}"
                )
            problems += [f"step {number}: {p}" for p in _compare(pack, fixture, step, envelope)]
        problems += [f"a request was not in the cassette: {lost}" for lost in transport.unrecorded]
        unused = [
            f"{request.method} {request.uri}"
            for index, request in enumerate(cassette.requests)
            if not cassette.play_counts[index]
        ]
    expected = [exchange for step in fixture.steps for exchange in step.exchanges]
    if recorded != expected:
        problems.append(f"the cassette holds {recorded}, the steps expect {expected}")
    if unused:
        problems.append(f"recorded interactions not used: {', '.join(unused)}")
    return Result(fixture.id, problems, polls=envelopes)


def _compare(
    pack: Pack, fixture: TriggerFixture, step: Step, envelope: dict[str, Any]
) -> list[str]:
    if "error" in step.expect:
        return error_problems(step.expect["error"], envelope)
    if envelope.get("status") != "success":
        return [f"expected events, got {envelope}"]
    problems = []
    events, expected = envelope["events"], step.expect["events"]
    if len(events) != len(expected):
        found = [event.get("event_id") for event in events]
        problems.append(f"{len(events)} event(s) {found}, expected {len(expected)}")
    for index, (event, wanted) in enumerate(zip(events, expected, strict=False)):
        problems += [
            f"events[{index}].{key}: expected {value!r}, got {event.get(key)!r}"
            for key, value in wanted.items()
            if event.get(key) != value
        ]
    state = envelope["state"]
    problems += [
        f"state.{key}: expected {value!r}, got {state.get(key)!r}"
        for key, value in step.expect.get("state", {}).items()
        if state.get(key) != value
    ]
    trigger = pack.triggers[fixture.trigger]
    problems += [
        f"events[{index}] breaks the event schema: {error.message}"
        for index, event in enumerate(events)
        for error in trigger.event_errors(event)
    ]
    problems += [
        f"the state breaks the state schema: {error.message}"
        for error in trigger.state_errors(state)
    ]
    return problems
