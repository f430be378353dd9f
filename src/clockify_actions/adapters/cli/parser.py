"""The command line's parser: every command, its options and its help.

A usage mistake is raised as `UsageError`, which the entry point turns into the JSON
envelope (exit 2); `--help` is raised as `Help`, whose text goes to stderr.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn


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


def build_parser(arguments: Sequence[str] = ()) -> argparse.ArgumentParser:
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
    chosen = arguments[0] if arguments and arguments[0] in COMMANDS else None
    for name, (help_text, options, add_help) in COMMANDS.items():
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
    add_connection_options(run)
    run.add_argument("--dry-run", action="store_true", help="show the request, send nothing")


def _mcp_options(mcp: argparse.ArgumentParser) -> None:
    add_connection_options(mcp)
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
    add_connection_options(poll)


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
    add_connection_options(serve)
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
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], bool]] = {
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


def add_connection_options(parser: argparse.ArgumentParser) -> None:
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
