"""(Re)record the cassettes of the contract fixtures (actions/<name>/fixtures/ and
triggers/<name>/fixtures/).

By default every fixture marked `recorded: sandbox` (the default) is recorded against a
fresh sandbox: a new temporary database per case, its clock frozen at the fixture's `now`,
the fixture's `setup` requests sent and its `faults` armed first. Requests carry the real
Clockify base URL, as the sandbox routes on the path alone. Re-recording therefore
reproduces the committed cassettes byte for byte; `--check` proves it without writing.
A trigger's fixture is a sequence of polls recorded on one sandbox into one cassette: before
each poll the sandbox's clock is set to the step's `now`, its `setup` requests are sent and
its `faults` (alone) are armed.

`--live` records the fixtures marked `recorded: live` against Clockify itself, with the key
in CLOCKIFY_API_KEY. It writes to that account: use a test workspace, review the diff, and
never run it in CI. Hand-written cassettes (`recorded: hand-written from docs/clockify-api.md §N`)
are never touched.

After writing a cassette it is replayed: a fixture whose `expect` no longer holds is
reported with the outcome the action gave, so that it can be reviewed and updated.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from clockify_actions.clockify import Form
from clockify_actions.contract import (
    LIVE,
    SANDBOX,
    Fixture,
    FixtureError,
    Step,
    TriggerFixture,
    case_id,
    check,
    check_trigger,
    credentials_in,
    fixture_paths,
    trigger_fixture_paths,
    use_cassette,
)
from clockify_actions.runtime import Pack, load_pack
from clockify_actions.runtime.connection import reports_base_url_for
from clockify_actions.sandbox import (
    COLLEAGUE_API_KEY,
    DEMO_ADDON_TOKEN,
    DEMO_API_KEY,
    FAULTS_ENV_VAR,
    OTHER_API_KEY,
    Fault,
    Sandbox,
)

# The sandbox's clock for a fixture without `now`: frozen, so that the ids and timestamps
# the sandbox makes are the same at every recording.
DEFAULT_NOW = datetime(2026, 1, 28, 12, 0, tzinfo=UTC)
# What a fixture with `api_key: invalid` sends; the cassette shows the placeholder anyway.
INVALID_API_KEY = "fixture-invalid-api-key"
SANDBOX_KEYS = (DEMO_API_KEY, OTHER_API_KEY, DEMO_ADDON_TOKEN, COLLEAGUE_API_KEY)
# The sandbox key a fixture's `api_key` records with.
RECORDING_KEYS = {
    "valid": DEMO_API_KEY,
    "invalid": INVALID_API_KEY,
    "colleague": COLLEAGUE_API_KEY,
}


class RecordingError(Exception):
    pass


def _send_setup(
    base_url: str,
    setup: list[dict[str, Any]],
    transport: httpx.BaseTransport | None,
    api_key: str,
) -> None:
    """A fixture's pre-state, made with plain requests that are not recorded."""
    with httpx.Client(transport=transport, headers={"X-Api-Key": api_key}) as client:
        for step in setup:
            # `host: reports` sends the step to the reports host of the same connection.
            root = (
                reports_base_url_for(base_url=base_url)
                if step.get("host") == "reports"
                else base_url
            )
            url = root + step["path"]
            if "form" in step:  # multipart/form-data, as Clockify's expense writes take it
                values = step["form"].items()
                form = Form(
                    (k, v) for k, vs in values for v in ([vs] if isinstance(vs, str) else vs)
                )
                response = client.send(form.request(step["method"], httpx.URL(url), client.headers))
            else:
                response = client.request(step["method"], url, json=step.get("json"))
            if not response.is_success:
                raise RecordingError(
                    f"setup {step['method']} {step['path']} answered "
                    f"{response.status_code}: {response.text[:300]}"
                )


def record_from_sandbox(pack: Pack, fixture: Fixture, target: Path) -> dict[str, Any]:
    with (
        tempfile.TemporaryDirectory() as folder,
        Sandbox.open(Path(folder) / "sandbox.sqlite3") as sandbox,
    ):
        sandbox.set_time(fixture.now or DEFAULT_NOW)
        _send_setup(fixture.base_url(), fixture.setup, sandbox.transport(), DEMO_API_KEY)
        _arm(sandbox, fixture.faults)
        api_key = RECORDING_KEYS[fixture.api_key]
        # vcrpy (8.2 and later) records by patching httpx's own transport classes
        # (HTTPTransport, MockTransport, ...), not a custom BaseTransport such as the
        # sandbox's, whose exchanges it would silently leave out. Passed through a
        # MockTransport, the sandbox's answers take a patched path and are recorded.
        transport = httpx.MockTransport(sandbox.transport().handle_request)
        with use_cassette(target, "all", secrets=[api_key]):
            return fixture.run(pack, api_key=api_key, transport=transport)


def _arm(sandbox: Sandbox, faults: list[dict[str, Any]]) -> None:
    for rule in faults:
        try:
            sandbox.add_fault(**Fault.from_json(rule).to_json())
        except (ValueError, TypeError) as error:
            raise RecordingError(f"faults: {error}") from None


def record_trigger(pack: Pack, fixture: TriggerFixture, target: Path) -> list[dict[str, Any]]:
    """Every poll of the trigger fixture on one fresh sandbox, into one cassette."""
    with (
        tempfile.TemporaryDirectory() as folder,
        Sandbox.open(Path(folder) / "sandbox.sqlite3") as sandbox,
    ):

        def before(step: Step) -> None:
            sandbox.set_time(step.now)
            # The sandbox's own transport, which vcrpy does not patch: setup is not recorded.
            _send_setup(fixture.base_url(), step.setup, sandbox.transport(), DEMO_API_KEY)
            sandbox.clear_faults()
            _arm(sandbox, step.faults)

        api_key = RECORDING_KEYS[fixture.api_key]
        transport = httpx.MockTransport(sandbox.transport().handle_request)
        with use_cassette(target, "all", secrets=[api_key], dated=True):
            polls = fixture.polls(pack, api_key=api_key, transport=transport, before=before)
            return [envelope for _, envelope in polls]


def record_live(pack: Pack, fixture: Fixture, target: Path, api_key: str) -> dict[str, Any]:
    _send_setup(fixture.base_url(), fixture.setup, None, api_key)
    sent_key = api_key if fixture.api_key == "valid" else INVALID_API_KEY
    with use_cassette(target, "all", secrets=[api_key, sent_key]):
        return fixture.run(pack, api_key=sent_key)


def _selected(pack: Pack, args: argparse.Namespace, source: str) -> list[Any]:
    """The fixtures asked for (actions' and triggers' unless one is named) recorded from
    `source`."""
    paths = [] if args.trigger else fixture_paths(pack, args.action)
    if not args.action and source == SANDBOX:
        paths += trigger_fixture_paths(pack, args.trigger)
    if args.case:
        unknown = sorted(set(args.case) - {case_id(path) for path in paths})
        if unknown:
            raise RecordingError(f"no such fixture(s): {', '.join(unknown)}")
        paths = [path for path in paths if case_id(path) in args.case]
    fixtures = [_load(pack, path) for path in paths]
    return [fixture for fixture in fixtures if fixture.recorded == source]


def _load(pack: Pack, path: Path) -> Fixture | TriggerFixture:
    if path.parents[1].name in pack.triggers:
        return TriggerFixture.load(pack, path)
    return Fixture.load(pack, path)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--action", metavar="NAME", help="only this action's fixtures")
    only.add_argument("--trigger", metavar="NAME", help="only this trigger's fixtures")
    parser.add_argument(
        "--case", action="append", metavar="NAME/CASE", help="only this fixture (repeatable)"
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--live", action="store_true", help="record `recorded: live` fixtures with CLOCKIFY_API_KEY"
    )
    mode.add_argument(
        "--check", action="store_true", help="fail if re-recording would change a cassette"
    )
    parser.add_argument("--root", type=Path, help="the pack's root (default: this checkout)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # A fixture's faults are its own: rules from the environment would enter every recording.
    os.environ.pop(FAULTS_ENV_VAR, None)
    api_key = os.environ.get("CLOCKIFY_API_KEY", "")
    if args.live and not api_key:
        print("--live needs CLOCKIFY_API_KEY: the key of a test account", file=sys.stderr)
        return 2
    pack = load_pack(args.root)
    try:
        fixtures = _selected(pack, args, LIVE if args.live else SANDBOX)
    except (RecordingError, FixtureError) as error:
        print(error, file=sys.stderr)
        return 2
    failed = 0
    with tempfile.TemporaryDirectory() as scratch:
        for fixture in fixtures:
            recorded = Path(scratch) / fixture.id
            try:
                if isinstance(fixture, TriggerFixture):
                    record_trigger(pack, fixture, recorded)
                elif args.live:
                    record_live(pack, fixture, recorded, api_key)
                else:
                    record_from_sandbox(pack, fixture, recorded)
                text = _checked(recorded, [api_key, INVALID_API_KEY, *SANDBOX_KEYS])
            except RecordingError as error:
                print(f"{fixture.id}: not recorded: {error}")
                failed += 1
                continue
            if args.check:
                failed += not _unchanged(fixture, text)
                continue
            fixture.cassette.parent.mkdir(parents=True, exist_ok=True)
            fixture.cassette.write_text(text, encoding="utf-8")
            failed += not _replays(pack, fixture)
    print(
        f"{len(fixtures) - failed} of {len(fixtures)} fixture(s) {'checked' if args.check else 'recorded'}"
    )
    return 1 if failed else 0


def _checked(recorded: Path, secrets: list[str]) -> str:
    if not recorded.is_file():
        raise RecordingError("the action sent no request, so there is nothing to replay")
    text = recorded.read_text(encoding="utf-8")
    findings = credentials_in(text, secrets)
    if findings:
        raise RecordingError(f"credentials left in the cassette: {'; '.join(findings)}")
    return text


def _unchanged(fixture: Fixture | TriggerFixture, text: str) -> bool:
    committed = fixture.cassette.read_text(encoding="utf-8") if fixture.cassette.is_file() else ""
    if committed == text:
        return True
    diff = difflib.unified_diff(
        committed.splitlines(), text.splitlines(), "committed", "re-recorded", lineterm=""
    )
    print(f"{fixture.id}: re-recording changes the cassette:\n" + "\n".join(list(diff)[:40]))
    return False


def _replays(pack: Pack, fixture: Fixture | TriggerFixture) -> bool:
    if isinstance(fixture, TriggerFixture):
        result = check_trigger(pack, fixture.path)
        returned: list[tuple[str, dict[str, Any] | None]] = [
            ("the poll returned", envelope) for envelope in result.polls
        ]
    else:
        result = check(pack, fixture.path)
        returned = [("the action returned", result.envelope)]
    if result.passed:
        print(f"{fixture.id}: recorded, replays as expected")
        return True
    print(f"{fixture.id}: recorded, but the fixture fails: " + "\n".join(result.problems))
    for what, envelope in returned:
        print(f"  {what}: {json.dumps(envelope, ensure_ascii=False)}")
    return False


if __name__ == "__main__":
    sys.exit(main())
