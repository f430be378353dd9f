"""What each command does once its arguments are parsed and the pack is loaded."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clockify_actions.adapters.cli.connection import connection_options, with_poll_clock
from clockify_actions.adapters.cli.inputs import MAX_INPUT_BYTES, params_from_pairs, read_input
from clockify_actions.adapters.cli.parser import UsageError
from clockify_actions.adapters.cli.streams import emit, tell_person
from clockify_actions.errors import EXIT_CODES, ActionError, ErrorType, exit_code_for
from clockify_actions.output import OUTPUT_LOST_EXIT_CODE

if TYPE_CHECKING:
    from clockify_actions.runtime import Pack, Redactor


def execute(args: argparse.Namespace, pack: Pack) -> dict[str, Any]:
    if args.command == "list":
        return {
            "actions": [
                {"name": a.name, "title": a.title, "description": a.description, "hints": a.hints}
                for a in pack.actions.values()
            ],
            "triggers": [
                {"name": t.name, "title": t.title, "description": t.description}
                for t in pack.triggers.values()
            ],
        }
    if args.command == "describe":
        return pack.describe(args.name)
    if args.command == "fixtures":
        # vcrpy is imported only here: no other command pays for it.
        from clockify_actions.contract import verify, verify_runner

        if args.runner:
            return verify_runner(pack, args.runner, args.action)
        return verify(pack, args.action, args.trigger)
    if args.command == "export":
        from clockify_actions.adapters.export import export

        return export(pack, args.platform, args.directory, args.server_url)
    params = read_input(args, pack)
    options = connection_options(args)
    options.pop("poll_clock", None)
    return pack.run(args.name, params, **options, dry_run=args.dry_run)


def serve_mcp(pack: Pack, args: argparse.Namespace) -> int:
    from clockify_actions.adapters.mcp import serve as serve_tools

    chosen = None if args.actions is None else args.actions.split(",")
    sets = None if args.toolsets is None else args.toolsets.split(",")
    options = connection_options(args)
    options.pop("poll_clock", None)
    return serve_tools(
        pack, options, read_only=args.read_only, actions=chosen, toolsets_chosen=sets
    )


def _serve_http(pack: Pack, args: argparse.Namespace) -> int:
    """Serve over HTTP until stopped; the banner (where, and the token unless it came
    from --token-file) is the one document on stdout."""
    import json

    from clockify_actions.adapters import http

    if bool(args.tls_cert) != bool(args.tls_key):
        raise UsageError("--tls-cert and --tls-key go together.")
    if args.concurrency < 1:
        raise UsageError("--concurrency must be at least 1.")
    http.check_binding(
        args.host,
        allow_remote=args.allow_remote,
        tls=bool(args.tls_cert),
        behind_proxy=args.behind_proxy,
    )
    token = http.read_token_file(args.token_file) if args.token_file else http.new_token()
    app = http.HttpWorker(pack, connection_options(args), token, args.concurrency)
    sock = http.listen(args.host, args.port)
    host, port = sock.getsockname()[:2]
    scheme = "https" if args.tls_cert else "http"
    banner: dict[str, Any] = {"url": f"{scheme}://{_url_host(host)}:{port}"}
    if not args.token_file:
        banner["token"] = token
    if not emit(json.dumps(banner)):
        sock.close()
        return OUTPUT_LOST_EXIT_CODE
    return http.serve(
        app, sock, concurrency=args.concurrency, tls_cert=args.tls_cert, tls_key=args.tls_key
    )


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def serve(pack: Pack, args: argparse.Namespace) -> int:
    """Serve until end of input; an answer that cannot be written whole stops the worker."""
    if args.http:
        return _serve_http(pack, args)
    from clockify_actions.adapters.worker import AnswerLost
    from clockify_actions.adapters.worker import serve as serve_lines

    try:
        return serve_lines(pack, sys.stdin.buffer, sys.stdout, connection_options(args))
    except AnswerLost as lost:
        tell_person(
            f"clockify-actions: the answer to request {lost.request_id!r} could not be written "
            f"to stdout ({lost.reason}), so the worker stopped. An answer to a trigger line "
            "carried its new state: keep the state you had, and the next poll delivers the "
            "same events again.\n"
        )
        return OUTPUT_LOST_EXIT_CODE


def poll(pack: Pack, args: argparse.Namespace, redactor: Redactor) -> int:
    """Poll once: the events go to stdout, flushed, before the state file is replaced, so
    that a crash (or a full disk) never loses an event. Events that could not be written
    whole leave the state file as it was; a crash after the output and before the
    replacement delivers the same events again on the next poll, with the same
    `event_id`s, for the runner to drop."""
    from clockify_actions.adapters import statefile

    params = params_from_pairs(args.name, args.param, pack) if args.param else {}
    state = statefile.read(Path(args.state))
    options = connection_options(args)
    result = pack.poll(args.name, params, state, **with_poll_clock(options))
    new_state = result.pop("state", None)
    if result.get("status") == "error":
        tell_person(f"clockify-actions: {redactor.text(result['error']['message'])}\n")
    if not emit(redactor.dumps(result)):
        if new_state is not None:
            tell_person(
                f"clockify-actions: the state file {args.state} was left as it was, so the "
                "next poll delivers these events again.\n"
            )
        return OUTPUT_LOST_EXIT_CODE
    if new_state is not None:
        try:
            statefile.replace(Path(args.state), new_state)
        except OSError as error:
            # The events are out already: stdout gets no second document, and the old state
            # makes the next poll deliver them again, with the same event ids.
            tell_person(
                f"clockify-actions: the events were printed, but the state file {args.state} "
                f"could not be replaced ({error.strerror or error}); the next poll delivers "
                "them again.\n"
            )
            return EXIT_CODES[ErrorType.CONFIG]
    return exit_code_for(result)


def verify_webhook(pack: Pack, args: argparse.Namespace) -> dict[str, Any]:
    from clockify_actions.adapters.webhooks import parse_request, verify

    token = os.environ.get(args.token_env)
    if not token:
        raise ActionError(
            ErrorType.CONFIG, f"The environment variable {args.token_env} is not set."
        )
    raw = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    if len(raw) > MAX_INPUT_BYTES:
        raise UsageError(f"The request is larger than {MAX_INPUT_BYTES} bytes.")
    headers, body = parse_request(raw)
    return {"status": "success", **verify(headers, body, token, pack=pack)}
