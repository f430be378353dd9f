"""`clockify-actions`: JSON in, JSON out.

Whatever happens, stdout carries exactly one JSON document and the exit code says what
kind of outcome it was; human messages, logs and `--help` go to stderr. A document that
cannot be written whole (stdout closed, its reader gone, its disk full) is a failure of
its own, `OUTPUT_LOST_EXIT_CODE`, said on stderr: a poll then keeps its old state.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import select
import stat
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from clockify_actions import __version__, jsonio
from clockify_actions.errors import (
    EXIT_CODES,
    USAGE_EXIT_CODE,
    ActionError,
    ErrorType,
    exit_code_for,
)
from clockify_actions.output import (
    OUTPUT_LOST_EXIT_CODE,
    OutputLost,
    closed_before_the_start,
    stand_in_for_closed_streams,
)
from clockify_actions.output import write as write_output
from clockify_actions.runtime import (
    RedactingFilter,
    Redactor,
    refused_before_sending,
    unpaced_settings,
)

if TYPE_CHECKING:
    from clockify_actions.runtime import Pack

MAX_INPUT_BYTES = 1024 * 1024
MAX_KEY_FILE_BYTES = 4096
# Pins the clock of every run and poll (a timestamp with a zone): `fixtures verify
# --runner` replays recordings through another process, whose "now" must be the
# recording's.
PINNED_NOW_ENV = "CLOCKIFY_PINNED_NOW"
# How long `--param` waits to see whether a pipe on stdin carries input too: a runner may
# open a pipe and neither write to it nor close it, and that must not hang the run.
PIPED_INPUT_WAIT_SECONDS = 0.2
SANDBOX_BASE_URL = "http://sandbox.localhost/api/v1"


class UsageError(Exception):
    pass


class Help(Exception):
    """--help was asked for: the text is for a person, on stderr; stdout stays empty."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class VersionAsked(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """Usage mistakes become the JSON envelope (exit 2), not argparse's text on stdout."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")

    def print_help(self, file: Any = None) -> None:
        raise Help(self.format_help())


class _Version(argparse.Action):
    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise VersionAsked


def _parser(arguments: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The command line's parser. When the arguments start with a command, only that
    command's parser gets its options (building them all costs a few milliseconds of
    every start); every other shape of command line gets the whole tree, for its help or
    its error."""
    parser = _Parser(
        prog="clockify-actions",
        description="Clockify actions: JSON in on stdin, one JSON document out on stdout.",
    )
    parser.add_argument(
        "--version", action=_Version, help="the name and version, as one JSON document"
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    chosen = arguments[0] if arguments and arguments[0] in _COMMANDS else None
    for name, (help_text, options, add_help) in _COMMANDS.items():
        if chosen is None or name == chosen:
            options(commands.add_parser(name, help=help_text, add_help=add_help))
    return parser


def _list_options(parser: argparse.ArgumentParser) -> None:
    pass


def _describe_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name")


def _run_options(run: argparse.ArgumentParser) -> None:
    run.add_argument("name")
    source = run.add_mutually_exclusive_group()
    source.add_argument("--input", metavar="FILE", help="read the input JSON object from FILE")
    source.add_argument(
        "--json",
        metavar="OBJECT",
        dest="json_input",
        help="the input JSON object as one argument (for runners that give no stdin)",
    )
    source.add_argument(
        "--param",
        action="append",
        metavar="KEY=VALUE",
        help="one parameter, read by its schema type (repeatable)",
    )
    _add_connection_options(run)
    run.add_argument("--dry-run", action="store_true", help="show the request, send nothing")


def _mcp_options(mcp: argparse.ArgumentParser) -> None:
    _add_connection_options(mcp)
    mcp.add_argument("--read-only", action="store_true", help="serve only read-only actions")
    mcp.add_argument("--actions", metavar="A,B", help="serve only these actions")
    mcp.add_argument(
        "--toolsets",
        metavar="A,B",
        help="serve these toolsets, or all (default: time_tracking, the others on demand)",
    )


def _poll_options(poll: argparse.ArgumentParser) -> None:
    poll.add_argument("name")
    poll.add_argument(
        "--state",
        metavar="FILE",
        required=True,
        help="the trigger's state: read (absent: a first poll), replaced after the output",
    )
    poll.add_argument(
        "--param",
        action="append",
        metavar="KEY=VALUE",
        help="one parameter, read by its schema type (repeatable)",
    )
    _add_connection_options(poll)


def _webhook_options(webhook: argparse.ArgumentParser) -> None:
    webhook_commands = webhook.add_subparsers(
        dest="webhook_command", required=True, parser_class=_Parser
    )
    verify_hook = webhook_commands.add_parser(
        "verify",
        help="check a delivery (an HTTP request on stdin) and print its event, as its trigger's",
    )
    verify_hook.add_argument(
        "--token-env",
        metavar="NAME",
        required=True,
        help="the environment variable holding the webhook's authToken",
    )


def _fixtures_options(fixtures: argparse.ArgumentParser) -> None:
    fixture_commands = fixtures.add_subparsers(
        dest="fixtures_command", required=True, parser_class=_Parser
    )
    verify = fixture_commands.add_parser(
        "verify", help="replay every contract fixture offline; exit 0 only when all pass"
    )
    verify.add_argument("--action", metavar="NAME", help="only this action's fixtures")
    verify.add_argument("--trigger", metavar="NAME", help="only this trigger's fixtures")
    verify.add_argument(
        "--runner",
        metavar="CMD",
        help="push every fixture through CMD, a process that speaks the serve protocol "
        '(e.g. "clockify-actions serve"), against a replayed Clockify on loopback',
    )


def _serve_options(serve: argparse.ArgumentParser) -> None:
    _add_connection_options(serve)
    http = serve.add_argument_group("HTTP (the http extra)")
    http.add_argument(
        "--http",
        action="store_true",
        help="serve POST /actions/NAME over HTTP instead of JSON lines on stdin",
    )
    http.add_argument("--host", default="127.0.0.1", help="where to listen (default 127.0.0.1)")
    http.add_argument(
        "--port", type=int, default=8787, help="the port (default 8787; 0: any free one)"
    )
    http.add_argument(
        "--token-file",
        metavar="PATH",
        help="the bearer token requests must send (default: a new one, in the banner)",
    )
    http.add_argument(
        "--concurrency", type=int, default=4, help="actions run at the same time (default 4)"
    )
    http.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host that is not this machine (needs TLS or --behind-proxy)",
    )
    http.add_argument("--tls-cert", metavar="PATH", help="serve HTTPS with this certificate")
    http.add_argument("--tls-key", metavar="PATH", help="the private key of --tls-cert")
    http.add_argument(
        "--behind-proxy",
        action="store_true",
        help="a reverse proxy in front terminates TLS (see docs/http.md)",
    )


def _export_options(export: argparse.ArgumentParser) -> None:
    from clockify_actions.adapters.export import DEFAULT_SERVER_URL, PLATFORMS

    export.add_argument("platform", choices=list(PLATFORMS))
    export.add_argument("directory", metavar="DIR", type=Path, help="where the files go")
    export.add_argument(
        "--server-url",
        default=DEFAULT_SERVER_URL,
        help="where `serve --http` listens, for the node-red and n8n files",
    )


# Each command: its help, what adds its options, and whether it has its own --help.
_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], bool]] = {
    "list": ("list the pack's actions", _list_options, True),
    "describe": ("an action's metadata and resolved schemas", _describe_options, True),
    "run": ("run an action; its input is a JSON object on stdin", _run_options, True),
    "poll": (
        "poll a trigger once: print its new events, then save its state to --state",
        _poll_options,
        True,
    ),
    "serve": (
        "worker mode: one JSON request per line in, one JSON response per line out; "
        "or, with --http, the actions over HTTP",
        _serve_options,
        True,
    ),
    "mcp": (
        "serve the actions to AI agents as MCP tools, over stdio (the mcp extra)",
        _mcp_options,
        True,
    ),
    "webhook": ("receive Clockify webhook deliveries", _webhook_options, True),
    "sandbox": ("the local Clockify emulator (serve, reset, ...)", _list_options, False),
    "fixtures": ("the pack's contract fixtures", _fixtures_options, True),
    "export": ("write the actions as a workflow platform's files", _export_options, True),
}


def _add_connection_options(parser: argparse.ArgumentParser) -> None:
    key = parser.add_mutually_exclusive_group()
    key.add_argument(
        "--api-key-env",
        metavar="NAME",
        help="read the API key from this environment variable (default CLOCKIFY_API_KEY)",
    )
    key.add_argument(
        "--api-key-file",
        metavar="PATH",
        help="read the API key from this file (a mounted secret); surrounding blanks dropped",
    )
    parser.add_argument(
        "--retries",
        choices=("pack", "none"),
        help="who retries a failed request: the pack (default; also CLOCKIFY_RETRIES) or "
        "none, exactly one attempt, for a runner whose own retry policy is the only one",
    )
    parser.add_argument("--region", help="global, euc1, use2, euw2 or apse2")
    parser.add_argument("--base-url", help="a full API root instead of the region's")
    parser.add_argument(
        "--reports-base-url",
        help="a full reports root instead of the one derived from the region or base URL",
    )
    parser.add_argument(
        "--workspace",
        metavar="ID",
        help="the workspace of an input that names none: an id, or auto for your default one "
        "(also CLOCKIFY_WORKSPACE_ID)",
    )
    parser.add_argument(
        "--sandbox",
        action="store_true",
        default=os.environ.get("CLOCKIFY_SANDBOX", "") not in ("", "0", "false"),
        help="run against the local sandbox (also CLOCKIFY_SANDBOX=1); no account needed",
    )
    parser.add_argument(
        "--allow-insecure-http",
        action="store_true",
        help="allow a plain-http base URL that is not on this machine",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log requests to stderr")


def _read_input(args: argparse.Namespace, pack: Pack) -> Any:
    if args.param:
        if _piped_input_waiting():
            raise UsageError(
                "Input came both as --param and piped on stdin; send it one way only "
                "(--param pairs, or a JSON object on stdin)."
            )
        return _params(args.name, args.param, pack)
    if args.json_input is not None:
        raw = os.fsencode(args.json_input)
    elif args.input:
        try:
            with Path(args.input).open("rb") as stream:
                raw = stream.read(MAX_INPUT_BYTES + 1)
        except OSError as error:
            raise UsageError(f"Cannot read --input {args.input}: {error.strerror}.") from None
    elif _stdin_is_interactive_or_null():
        return {}
    else:
        raw = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    if len(raw) > MAX_INPUT_BYTES:
        raise UsageError(f"The input is larger than {MAX_INPUT_BYTES} bytes.")
    if not raw.strip():
        raise UsageError("The input is empty; send a JSON object, e.g. {} for no parameters.")
    try:
        return jsonio.loads(raw)
    except UnicodeDecodeError:
        raise UsageError("The input is not valid UTF-8.") from None
    except ValueError as error:
        raise UsageError(f"The input is not valid JSON: {error}.") from None


def _stdin_is_interactive_or_null() -> bool:
    """A terminal or /dev/null means no input was piped: the action gets `{}`."""
    try:
        return stat.S_ISCHR(os.fstat(sys.stdin.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):
        return True


def _piped_input_waiting() -> bool:
    """Whether stdin carries piped input (more than whitespace). Reads only what is
    there already: an open pipe nobody writes to is taken as no input."""
    if _stdin_is_interactive_or_null():
        return False
    try:
        descriptor = sys.stdin.fileno()
        ready, _, _ = select.select([descriptor], [], [], PIPED_INPUT_WAIT_SECONDS)
        return bool(ready) and bool(os.read(descriptor, 64 * 1024).strip())
    except (OSError, ValueError):
        return False


def _utf8_argument(argument: str) -> str:
    """An argument as the UTF-8 it was typed in, even where the locale decoded it as
    ASCII; bytes that are not UTF-8 stay escaped, and validation then refuses them."""
    try:
        return os.fsencode(argument).decode("utf-8")
    except UnicodeDecodeError:
        return argument


def _params(name: str, pairs: Sequence[str], pack: Pack) -> dict[str, Any]:
    properties = pack.describe(name)["parameters"].get("properties", {})
    params: dict[str, Any] = {}
    for pair in map(_utf8_argument, pairs):
        key, sep, text = pair.partition("=")
        if not sep:
            raise UsageError(f"--param takes KEY=VALUE, got {pair!r}.")
        kind = properties.get(key, {}).get("type", "string")
        if kind == "boolean":
            if text not in ("true", "false"):
                raise UsageError(f"--param {key} takes true or false, got {text!r}.")
            params[key] = text == "true"
        elif kind in ("integer", "number", "array", "object"):
            try:
                params[key] = jsonio.loads(text.encode("utf-8", "surrogateescape"))
            except ValueError:
                raise UsageError(f"--param {key} takes a JSON {kind}, got {text!r}.") from None
        else:
            params[key] = text
    return params


def _explicit_api_key(args: argparse.Namespace) -> str | None:
    path = getattr(args, "api_key_file", None)
    if path:
        return _key_from_file(path)
    name = getattr(args, "api_key_env", None)
    if not name:
        return None
    key = os.environ.get(name)
    if not key:
        raise ActionError(ErrorType.CONFIG, f"The environment variable {name} is not set.")
    return key


def _key_from_file(path: str) -> str:
    """The key a file holds (a secret mounted as a file, as Kubernetes and Docker do): its
    text without surrounding blanks, the newline an editor adds included."""
    try:
        with Path(path).open("rb") as stream:
            raw = stream.read(MAX_KEY_FILE_BYTES + 1)
    except OSError as error:
        raise ActionError(
            ErrorType.CONFIG, f"Cannot read --api-key-file {path}: {error.strerror}."
        ) from None
    try:
        key = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        key = ""
    if not key or len(raw) > MAX_KEY_FILE_BYTES or any(c.isspace() for c in key):
        raise ActionError(
            ErrorType.CONFIG, f"--api-key-file {path} does not hold one API key on one line."
        )
    return key


def _pinned_clock() -> Callable[[], datetime] | None:
    """The clock `CLOCKIFY_PINNED_NOW` pins (a timestamp with a zone), for replays that
    must compute what a recording computed; None when it is unset."""
    text = os.environ.get(PINNED_NOW_ENV)
    if not text:
        return None
    from clockify_actions.timeutil import TimestampError, parse_timestamp

    try:
        now = parse_timestamp(text)
    except TimestampError as error:
        raise ActionError(ErrorType.CONFIG, f"{PINNED_NOW_ENV}: {error}") from None
    return lambda: now


def _connection(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments for `Pack.run` from the connection options."""
    options: dict[str, Any] = {
        "region": args.region,
        "base_url": args.base_url,
        "reports_base_url": args.reports_base_url,
        "workspace_id": args.workspace,
        "retries": args.retries,
    }
    if args.api_key_env or args.api_key_file:
        options["api_key"] = _explicit_api_key(args)
    clock = _pinned_clock()
    if clock is not None:
        options["clock"] = clock
    if args.allow_insecure_http:
        options["allow_insecure"] = True
    if args.sandbox:
        from clockify_actions.sandbox import DEMO_API_KEY, Sandbox, StateFileError

        try:
            sandbox = Sandbox.open()
        except (StateFileError, ValueError) as error:  # ValueError: CLOCKIFY_SANDBOX_FAULTS
            raise ActionError(ErrorType.CONFIG, str(error)) from None
        options["transport"] = sandbox.transport()
        # A trigger's windows follow the sandbox's clock, which may be set; actions keep
        # the real one.
        options["poll_clock"] = sandbox.now
        options.setdefault("api_key", DEMO_API_KEY)
        options["base_url"] = args.base_url or SANDBOX_BASE_URL
        # The sandbox emulates Clockify's rate limits itself when asked to.
        options["settings"] = unpaced_settings()
    return options


def _configure_logging(verbose: bool, redactor: Redactor) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter(redactor))
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("clockify_actions")
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)


def _execute(args: argparse.Namespace, pack: Pack) -> dict[str, Any]:
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
    params = _read_input(args, pack)
    options = _connection(args)
    options.pop("poll_clock", None)
    return pack.run(args.name, params, **options, dry_run=args.dry_run)


def _utf8_streams() -> None:
    # JSON is UTF-8 whatever the locale says; messages never fail over a character.
    for stream, errors in ((sys.stdout, "strict"), (sys.stderr, "backslashreplace")):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8", errors=errors)


def _emit(document: str) -> bool:
    """Writes the one document to stdout; False, said on stderr, when it did not arrive
    whole."""
    try:
        write_output(sys.stdout, document + "\n")
    except OutputLost as lost:
        _tell_person(f"clockify-actions: the result could not be written to stdout ({lost}).\n")
        return False
    return True


def _tell_person(text: str) -> None:
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except OSError:
        pass  # nobody is listening on stderr either; stdout and the exit code still tell


def main(argv: Sequence[str] | None = None) -> int:
    stand_in_for_closed_streams()
    _utf8_streams()
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["sandbox"]:
        from clockify_actions.sandbox.cli import main as sandbox_main

        return sandbox_main(arguments[1:])
    redactor = Redactor([os.environ.get("CLOCKIFY_API_KEY")])
    writes = False  # whether the command runs an action that writes
    try:
        args = _parser(arguments).parse_args(arguments)
        from clockify_actions.runtime import load_pack

        pack = load_pack()
        if args.command == "run" and args.name in pack.actions:
            writes = not pack.actions[args.name].hints["read_only"]
        redactor = pack.redactor(api_key=_explicit_api_key(args))
        _configure_logging(getattr(args, "verbose", False), redactor)
        if closed_before_the_start(sys.stdout):
            # Its result could not be seen: an action, a poll or a worker is not run at all.
            _tell_person("clockify-actions: stdout is closed, so nothing was run.\n")
            return OUTPUT_LOST_EXIT_CODE
        if args.command == "serve":
            return _serve(pack, args)
        if args.command == "poll":
            return _poll(pack, args, redactor)
        if args.command == "webhook":
            result = _verify_webhook(pack, args)
            emitted = _emit(redactor.dumps(result))
            return exit_code_for(result) if emitted else OUTPUT_LOST_EXIT_CODE
        if args.command == "mcp":
            from clockify_actions.adapters.mcp import serve as serve_mcp

            chosen = None if args.actions is None else args.actions.split(",")
            sets = None if args.toolsets is None else args.toolsets.split(",")
            options = _connection(args)
            options.pop("poll_clock", None)
            return serve_mcp(
                pack, options, read_only=args.read_only, actions=chosen, toolsets_chosen=sets
            )
        result = _execute(args, pack)
        code = exit_code_for(result)
    except Help as asked:
        _tell_person(asked.text)
        return 0
    except VersionAsked:
        result, code = {"name": "clockify-actions", "version": __version__}, 0
    except UsageError as error:
        usage = ActionError(ErrorType.VALIDATION, str(error))
        result = refused_before_sending(usage, writes=writes).envelope()
        code = USAGE_EXIT_CODE
    except ActionError as error:
        result, code = refused_before_sending(error, writes=writes).envelope(), error.exit_code
    except Exception as error:  # the last resort: one JSON document, whatever happens
        logging.getLogger("clockify_actions").debug("uncaught", exc_info=True)
        result = ActionError(
            ErrorType.INTERNAL, f"Internal error: {type(error).__name__}: {error}"
        ).envelope()
        code = 1
    if result.get("status") == "error":
        _tell_person(f"clockify-actions: {redactor.text(result['error']['message'])}\n")
    return code if _emit(redactor.dumps(result)) else OUTPUT_LOST_EXIT_CODE


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
    app = http.HttpWorker(pack, _connection(args), token, args.concurrency)
    sock = http.listen(args.host, args.port)
    host, port = sock.getsockname()[:2]
    scheme = "https" if args.tls_cert else "http"
    banner: dict[str, Any] = {"url": f"{scheme}://{_url_host(host)}:{port}"}
    if not args.token_file:
        banner["token"] = token
    if not _emit(json.dumps(banner)):
        sock.close()
        return OUTPUT_LOST_EXIT_CODE
    return http.serve(
        app, sock, concurrency=args.concurrency, tls_cert=args.tls_cert, tls_key=args.tls_key
    )


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _serve(pack: Pack, args: argparse.Namespace) -> int:
    """Serve until end of input; an answer that cannot be written whole stops the worker."""
    if args.http:
        return _serve_http(pack, args)
    from clockify_actions.adapters.worker import AnswerLost, serve

    try:
        return serve(pack, sys.stdin.buffer, sys.stdout, _connection(args))
    except AnswerLost as lost:
        _tell_person(
            f"clockify-actions: the answer to request {lost.request_id!r} could not be written "
            f"to stdout ({lost.reason}), so the worker stopped. An answer to a trigger line "
            "carried its new state: keep the state you had, and the next poll delivers the "
            "same events again.\n"
        )
        return OUTPUT_LOST_EXIT_CODE


def _poll(pack: Pack, args: argparse.Namespace, redactor: Redactor) -> int:
    """Poll once: the events go to stdout, flushed, before the state file is replaced, so
    that a crash (or a full disk) never loses an event. Events that could not be written
    whole leave the state file as it was; a crash after the output and before the
    replacement delivers the same events again on the next poll, with the same
    `event_id`s, for the runner to drop."""
    from clockify_actions.adapters import statefile

    params = _params(args.name, args.param, pack) if args.param else {}
    state = statefile.read(Path(args.state))
    options = _connection(args)
    result = pack.poll(args.name, params, state, **_with_poll_clock(options))
    new_state = result.pop("state", None)
    if result.get("status") == "error":
        _tell_person(f"clockify-actions: {redactor.text(result['error']['message'])}\n")
    if not _emit(redactor.dumps(result)):
        if new_state is not None:
            _tell_person(
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
            _tell_person(
                f"clockify-actions: the events were printed, but the state file {args.state} "
                f"could not be replaced ({error.strerror or error}); the next poll delivers "
                "them again.\n"
            )
            return EXIT_CODES[ErrorType.CONFIG]
    return exit_code_for(result)


def _with_poll_clock(options: dict[str, Any]) -> dict[str, Any]:
    poll_clock = options.pop("poll_clock", None)
    return options if poll_clock is None else {**options, "clock": poll_clock}


def _verify_webhook(pack: Pack, args: argparse.Namespace) -> dict[str, Any]:
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
