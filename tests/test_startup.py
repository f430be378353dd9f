"""What a start builds and imports is only what its command needs, with no change in what
the command line means: the parser of the chosen subcommand alone reads every command
line as the whole tree does, and `--sandbox` never loads the sandbox's HTTP server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from clockify_actions.adapters.cli.parser import Help, UsageError, build_parser

COMMAND_LINES = [
    ["list"],
    ["describe", "list_projects"],
    ["run", "list_projects", "--param", "workspace_id=x", "--sandbox", "-v"],
    ["run", "list_workspaces", "--input", "in.json", "--dry-run", "--region", "euc1"],
    ["run", "x", "--input", "a", "--param", "b=c"],
    ["run"],
    ["run", "x", "--nope"],
    ["run", "--help"],
    ["serve", "--base-url", "https://api.clockify.me/api/v1", "--api-key-env", "K"],
    ["serve", "extra"],
    ["mcp", "--read-only", "--actions", "a,b", "--sandbox"],
    ["fixtures", "verify", "--action", "list_projects"],
    ["fixtures"],
    ["fixtures", "--help"],
    ["describe"],
    ["describe", "--help"],
    ["list", "--help"],
]


def _outcome(arguments: list[str], whole: bool) -> object:
    parser = build_parser(() if whole else arguments)
    try:
        return vars(parser.parse_args(arguments))
    except UsageError as error:
        return ("usage", str(error))
    except Help as asked:
        return ("help", asked.text)


@pytest.mark.parametrize("arguments", COMMAND_LINES, ids=" ".join)
def test_the_chosen_commands_parser_reads_a_command_line_as_the_whole_tree_does(
    arguments: list[str],
) -> None:
    assert _outcome(arguments, whole=False) == _outcome(arguments, whole=True)


def test_the_top_level_help_still_lists_every_command() -> None:
    with pytest.raises(Help) as asked:
        build_parser(["--help"]).parse_args(["--help"])
    for command in ("list", "describe", "run", "serve", "mcp", "sandbox", "fixtures"):
        assert command in asked.value.text


def test_run_sandbox_does_not_import_the_sandboxs_http_server(tmp_path: Path) -> None:
    code = (
        "import json, sys\n"
        "from clockify_actions.adapters.cli import main\n"
        "assert main(['run', 'list_workspaces', '--sandbox']) == 0\n"
        "loaded = [m for m in ('http.server', 'socketserver', 'clockify_actions.sandbox._server')"
        " if m in sys.modules]\n"
        "print(json.dumps(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        input="{}",
        capture_output=True,
        text=True,
        env={"CLOCKIFY_SANDBOX_DB": str(tmp_path / "sandbox.sqlite3"), "PATH": "/usr/bin:/bin"},
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == []
