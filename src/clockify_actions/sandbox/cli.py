"""`clockify-actions sandbox ...`: run and steer the sandbox. Stdout carries JSON only."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import signal
import sys
import threading
from datetime import UTC, datetime
from typing import Any

from clockify_actions.errors import ActionError, ErrorType, sentence
from clockify_actions.output import OUTPUT_LOST_EXIT_CODE, OutputLost
from clockify_actions.output import write as write_output

from ._plans import PLANS
from ._sandbox import Sandbox
from ._seed import DEMO_API_KEY, DEMO_USER_ID, DEMO_WORKSPACE_ID
from ._state_file import StateFileError
from ._store import SandboxConfig
from ._time import format_instant
from .faults import ENV_VAR as FAULTS_ENV_VAR
from .faults import Fault, faults_from_json


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="state file (default: $CLOCKIFY_SANDBOX_DB or user data dir)")
    parser = argparse.ArgumentParser(prog="clockify-actions sandbox", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", parents=[common], help="serve the API over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_port, default=0, help="0 (default) picks a free port")

    reset = commands.add_parser("reset", parents=[common], help="back to the seed state")
    reset.add_argument(
        "--force",
        action="store_true",
        help="also replace a database that is not sandbox state (moved aside, not deleted)",
    )

    fault = commands.add_parser("fault", help="fault rules").add_subparsers(
        dest="fault_command", required=True
    )
    add = fault.add_parser("add", parents=[common], help="arm a fault rule")
    add.add_argument("--json", dest="rules", help="rule(s) as a JSON object or list")
    add.add_argument("--action", choices=["status", "delay", "drop", "timeout", "truncate"])
    add.add_argument("--when", choices=["before", "after"])
    add.add_argument("--method", default="*")
    add.add_argument("--path", default="**", help="glob below /api/v1: * one segment, ** any")
    add.add_argument("--times", type=int, default=1, help="0 means every matching request")
    add.add_argument("--status", type=int)
    add.add_argument("--seconds", type=float)
    add.add_argument("--body", choices=["clockify", "empty", "html"])
    add.add_argument("--retry-after", type=int)
    fault.add_parser("list", parents=[common], help="the armed rules")
    fault.add_parser("clear", parents=[common], help="disarm every rule")

    clock = commands.add_parser("clock", help="the sandbox clock").add_subparsers(
        dest="clock_command", required=True
    )
    clock_set = clock.add_parser("set", parents=[common], help="freeze the clock")
    clock_set.add_argument("time", help="ISO 8601, e.g. 2025-01-31T09:00:00Z (naive means UTC)")
    clock.add_parser("clear", parents=[common], help="let the clock run again")

    configure = commands.add_parser("configure", parents=[common], help="behaviour switches")
    configure.add_argument("--auto-stop", choices=["on", "off"])
    configure.add_argument("--rate-limit", choices=["off", "paid", "free"])
    configure.add_argument(
        "--time-zone", help="a user's profile zone, e.g. America/Los_Angeles (IANA name)"
    )
    configure.add_argument("--user", default=DEMO_USER_ID, help="whose zone (default: demo user)")
    configure.add_argument(
        "--plan", choices=PLANS, help="the workspace's Clockify plan (paid modules follow it)"
    )
    configure.add_argument(
        "--module",
        action="append",
        default=[],
        metavar="FEATURE=on|off",
        help="switch a paid module on or off in the workspace's settings, e.g. INVOICING=off",
    )
    configure.add_argument(
        "--workspace", default=DEMO_WORKSPACE_ID, help="whose plan (default: the demo workspace)"
    )
    return parser


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 0xFFFF:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535)")
    return port


def main(argv: list[str]) -> int:
    """Runs one command; stdout gets one JSON document (the pack's error envelope on
    failure), except for `--help`, which is prose on stderr only, and the exit code says
    what kind of outcome it was."""
    try:
        return _command(argv)
    except OutputLost as lost:
        return _lost(lost)
    except ActionError as error:
        print(f"clockify-actions sandbox: error: {error.message}", file=sys.stderr)
        return _finish(error)
    except Exception as error:  # the last resort: one JSON document, whatever happens
        print(f"clockify-actions sandbox: internal error: {error!r}", file=sys.stderr)
        message = f"Internal error: {type(error).__name__}: {error}"
        return _finish(ActionError(ErrorType.INTERNAL, message))


def _finish(error: ActionError) -> int:
    try:
        _emit(error.envelope())
    except OutputLost as lost:
        return _lost(lost)
    return error.exit_code


def _lost(lost: OutputLost) -> int:
    print(f"clockify-actions sandbox: the result could not be written ({lost}).", file=sys.stderr)
    return OUTPUT_LOST_EXIT_CODE


def _command(argv: list[str]) -> int:
    parser = _parser()
    prose = io.StringIO()
    try:
        # Help and usage are prose for stderr. Help is for a person and leaves stdout
        # empty, as the main CLI's does; a usage mistake still gets one JSON document.
        with contextlib.redirect_stdout(prose), contextlib.redirect_stderr(prose):
            args = parser.parse_args(argv)
    except SystemExit as exit_:
        sys.stderr.write(prose.getvalue())
        if exit_.code == 0:
            return 0
        usage = ActionError(ErrorType.VALIDATION, prose.getvalue().strip().splitlines()[-1])
        return _finish(usage)
    try:
        faults = _faults(args) if args.command == "fault" and args.fault_command == "add" else []
        moment = _moment(args.time) if args.command == "clock" and "time" in args else None
    except ValueError as error:
        raise ActionError(ErrorType.VALIDATION, sentence(str(error))) from None
    moved = None
    try:
        if args.command == "reset":
            sandbox, moved = Sandbox.open_reset(args.db, force=args.force)
        else:
            sandbox = Sandbox.open(args.db)
    except StateFileError as error:
        raise ActionError(ErrorType.CONFIG, str(error)) from None
    except ValueError as error:  # the rules in CLOCKIFY_SANDBOX_FAULTS
        raise ActionError(ErrorType.CONFIG, sentence(f"{FAULTS_ENV_VAR}: {error}")) from None
    with sandbox:
        if args.command == "serve":
            return _serve(sandbox, args.host, args.port)
        if args.command == "reset":
            aside = {} if moved is None else {"moved_aside": str(moved)}
            _emit({"reset": True, "db": str(sandbox.db_path), **aside})
        elif args.command == "fault":
            if args.fault_command == "add":
                for fault in faults:
                    sandbox.add_fault(**fault.to_json())
                _emit({"added": [fault.to_json() for fault in faults]})
            elif args.fault_command == "list":
                _emit({"faults": [fault.to_json() for fault in sandbox.faults()]})
            else:
                _emit({"cleared": sandbox.clear_faults()})
        elif args.command == "clock":
            sandbox.set_time(moment)
            _emit(_config(sandbox.configure(), sandbox.now()))
        else:
            if args.time_zone is not None:
                try:
                    sandbox.set_time_zone(args.user, args.time_zone)
                except (ValueError, KeyError) as error:
                    _emit({"error": str(error).strip("'\"")})
                    return 2
            plan = None
            if args.plan is not None or args.module:
                try:
                    plan = sandbox.set_plan(args.workspace, args.plan, _modules(args.module))
                except (ValueError, KeyError) as error:
                    raise ActionError(
                        ErrorType.VALIDATION, sentence(str(error).strip("'\""))
                    ) from None
            auto_stop = None if args.auto_stop is None else args.auto_stop == "on"
            config = sandbox.configure(auto_stop=auto_stop, rate_limit=args.rate_limit)
            _emit(
                {**_config(config, sandbox.now()), **({} if plan is None else {"workspace": plan})}
            )
    return 0


def _faults(args: argparse.Namespace) -> list[Fault]:
    if args.rules is not None:
        return faults_from_json(args.rules)
    if args.action is None or args.when is None:
        raise ValueError("fault add needs --json, or --action and --when")
    return [
        Fault(
            action=args.action,
            when=args.when,
            method=args.method,
            path=args.path,
            times=args.times or None,
            status=args.status,
            seconds=args.seconds,
            body=args.body,
            retry_after=args.retry_after,
        )
    ]


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _modules(switches: list[str]) -> dict[str, bool]:
    """`INVOICING=off` and the like, as module names and whether each is on."""
    modules: dict[str, bool] = {}
    for switch in switches:
        feature, _, state = switch.partition("=")
        if state not in ("on", "off"):
            raise ValueError(f"--module takes FEATURE=on or FEATURE=off, not {switch!r}")
        modules[feature.strip().upper()] = state == "on"
    return modules


def _config(config: SandboxConfig, now: datetime) -> dict[str, Any]:
    return {
        "now": format_instant(now),
        "frozen": config.frozen_time is not None,
        "auto_stop": config.auto_stop,
        "rate_limit": config.rate_limit,
    }


def _serve(sandbox: Sandbox, host: str, port: int) -> int:
    logging.basicConfig(
        stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(name)s %(message)s"
    )
    try:
        server = sandbox.serve(host, port)
    except OSError as error:
        reason = error.strerror or str(error)
        raise ActionError(ErrorType.CONFIG, f"Cannot listen on {host}:{port}: {reason}.") from None
    stop = threading.Event()
    previous = {
        sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        with server:
            # Both roots, so that a client of its own can be pointed at the API and the reports.
            _emit(
                {
                    "base_url": server.base_url,
                    "reports_base_url": server.reports_base_url,
                    "api_key": DEMO_API_KEY,
                    "db": str(sandbox.db_path),
                }
            )
            stop.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


def _emit(document: dict[str, Any]) -> None:
    """Writes the one document; raises `OutputLost` when it did not arrive whole."""
    write_output(sys.stdout, json.dumps(document) + "\n")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
