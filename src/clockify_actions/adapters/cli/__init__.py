"""`clockify-actions`: JSON in, JSON out.

Whatever happens, stdout carries exactly one JSON document and the exit code says what
kind of outcome it was; human messages, logs and `--help` go to stderr. A document that
cannot be written whole (stdout closed, its reader gone, its disk full) is a failure of
its own, `OUTPUT_LOST_EXIT_CODE`, said on stderr: a poll then keeps its old state.

The package in parts: `parser` (the commands and their options), `inputs` (an action's
input), `connection` (where a command connects), `commands` (what each does) and
`streams` (stdout and stderr); `main` here runs one command line and turns whatever
happens into the document and the exit code.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence

from clockify_actions import __version__
from clockify_actions.adapters.cli import commands
from clockify_actions.adapters.cli.connection import SANDBOX_BASE_URL, explicit_api_key
from clockify_actions.adapters.cli.parser import Help, UsageError, VersionAsked, build_parser
from clockify_actions.adapters.cli.streams import (
    configure_logging,
    emit,
    tell_person,
    utf8_streams,
)
from clockify_actions.errors import USAGE_EXIT_CODE, ActionError, ErrorType, exit_code_for
from clockify_actions.output import (
    OUTPUT_LOST_EXIT_CODE,
    closed_before_the_start,
    stand_in_for_closed_streams,
)
from clockify_actions.runtime import Redactor, refused_before_sending

__all__ = ["SANDBOX_BASE_URL", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    stand_in_for_closed_streams()
    utf8_streams()
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["sandbox"]:
        from clockify_actions.sandbox.cli import main as sandbox_main

        return sandbox_main(arguments[1:])
    redactor = Redactor([os.environ.get("CLOCKIFY_API_KEY")])
    writes = False  # whether the command runs an action that writes
    try:
        args = build_parser(arguments).parse_args(arguments)
        from clockify_actions.runtime import load_pack

        pack = load_pack()
        if args.command == "run" and args.name in pack.actions:
            writes = not pack.actions[args.name].hints["read_only"]
        redactor = pack.redactor(api_key=explicit_api_key(args))
        configure_logging(getattr(args, "verbose", False), redactor)
        if closed_before_the_start(sys.stdout):
            # Its result could not be seen: an action, a poll or a worker is not run at all.
            tell_person("clockify-actions: stdout is closed, so nothing was run.\n")
            return OUTPUT_LOST_EXIT_CODE
        if args.command == "serve":
            return commands.serve(pack, args)
        if args.command == "poll":
            return commands.poll(pack, args, redactor)
        if args.command == "webhook":
            result = commands.verify_webhook(pack, args)
            emitted = emit(redactor.dumps(result))
            return exit_code_for(result) if emitted else OUTPUT_LOST_EXIT_CODE
        if args.command == "mcp":
            return commands.serve_mcp(pack, args)
        result = commands.execute(args, pack)
        code = exit_code_for(result)
    except Help as asked:
        tell_person(asked.text)
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
        tell_person(f"clockify-actions: {redactor.text(result['error']['message'])}\n")
    return code if emit(redactor.dumps(result)) else OUTPUT_LOST_EXIT_CODE
