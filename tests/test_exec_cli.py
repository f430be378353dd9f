"""The CLI for exec-style runners (Node-RED's exec node, n8n's Execute Command): the input
as one argument, the key from a mounted file, and one whole document on stdout that a
reader reading 64 KiB chunks gets whole when it reads to the end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from clockify_actions.contract import ReplayServer
from clockify_actions.sandbox import DEMO_API_KEY, DEMO_WORKSPACE_ID

CLI = [sys.executable, "-m", "clockify_actions"]
# A name with the characters that broke shell lines: an apostrophe, quotes, a backslash.
AWKWARD = "O'Brien's \"Q1\" review \\ 50%"


def _sandbox_env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "CLOCKIFY_SANDBOX_DB": str(tmp_path / "sandbox.sqlite3")}
    env.pop("CLOCKIFY_API_KEY", None)
    return env


def _run(*arguments: str, env: dict[str, str]) -> tuple[int, dict[str, Any]]:
    done = subprocess.run([*CLI, *arguments], capture_output=True, env=env, timeout=120)
    return done.returncode, json.loads(done.stdout)


def test_run_takes_its_input_as_one_json_argument(tmp_path: Path) -> None:
    env = _sandbox_env(tmp_path)
    given = json.dumps({"workspace_id": DEMO_WORKSPACE_ID, "name": AWKWARD})
    code, created = _run("run", "create_tag", "--sandbox", "--json", given, env=env)
    assert (code, created["status"], created["name"]) == (0, "success", AWKWARD)


@pytest.mark.parametrize(
    ("given", "says"),
    [("[1]", "must be a JSON object"), ("{", "not valid JSON"), ("", "empty")],
)
def test_a_bad_json_argument_is_a_usage_error(tmp_path: Path, given: str, says: str) -> None:
    code, refused = _run(
        "run", "create_tag", "--sandbox", "--json", given, env=_sandbox_env(tmp_path)
    )
    assert (code, refused["error"]["type"]) == (2, "validation_error")
    assert says in refused["error"]["message"]


def test_json_and_param_are_one_way_or_the_other(tmp_path: Path) -> None:
    code, refused = _run(
        "run", "list_projects", "--json", "{}", "--param", "a=b", env=_sandbox_env(tmp_path)
    )
    assert (code, refused["error"]["type"]) == (2, "validation_error")


def test_the_key_comes_from_a_file_and_never_shows(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(DEMO_API_KEY + "\n")
    env = _sandbox_env(tmp_path)
    for arguments in (
        ["run", "get_current_user", "--json", "{}"],
        ["poll", "new_project", "--state", str(tmp_path / "state.json"),
         "--param", f"workspace_id={DEMO_WORKSPACE_ID}"],
    ):  # fmt: skip
        done = subprocess.run(
            [*CLI, *arguments, "--sandbox", "--api-key-file", str(key_file), "-v"],
            capture_output=True,
            env=env,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout
        assert json.loads(done.stdout)["status"] == "success"
        assert DEMO_API_KEY.encode() not in done.stdout + done.stderr


def test_serve_takes_the_key_from_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(DEMO_API_KEY)
    done = subprocess.run(
        [*CLI, "serve", "--sandbox", "--api-key-file", str(key_file)],
        input=b'{"id": 1, "action": "get_current_user"}\n',
        capture_output=True,
        env=_sandbox_env(tmp_path),
        timeout=120,
    )
    assert json.loads(done.stdout)["envelope"]["status"] == "success"


@pytest.mark.parametrize("content", ["", "two\nlines\n", "a key with blanks"])
def test_a_key_file_that_holds_no_one_key_is_a_config_error(tmp_path: Path, content: str) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(content)
    code, refused = _run(
        "run", "list_workspaces", "--api-key-file", str(key_file), env=_sandbox_env(tmp_path)
    )
    assert (code, refused["error"]["type"]) == (2, "config_error")


def _large_workspace_list(tmp_path: Path) -> Path:
    """A cassette whose one answer is well over 1 MB of workspaces."""
    workspaces = [
        {"id": f"{index:024x}", "name": f"Workspace {index} " + "x" * 200} for index in range(5000)
    ]
    cassette = tmp_path / "large.yaml"
    interaction = {
        "request": {"method": "GET", "uri": "https://api.clockify.me/api/v1/workspaces",
                    "headers": {}},
        "response": {"status": {"code": 200, "message": "OK"},
                     "headers": {"content-type": ["application/json"]}, "json": workspaces},
    }  # fmt: skip
    cassette.write_text(yaml.safe_dump({"version": 1, "interactions": [interaction]}))
    return cassette


def test_a_large_result_arrives_whole_to_a_reader_of_64_kib_chunks(tmp_path: Path) -> None:
    """What Node-RED's exec node sees: stdout in chunks of at most 64 KiB as they come. The
    whole document is one line, ended by the one newline, written and flushed before the
    process exits: joined at the end of the output, the chunks parse."""
    with ReplayServer() as clockify:
        clockify.load(_large_workspace_list(tmp_path))
        env = {
            **_sandbox_env(tmp_path),
            "CLOCKIFY_API_KEY": "a-key-for-the-replay",
            "CLOCKIFY_BASE_URL": clockify.origin + "/api/v1",
        }
        process = subprocess.Popen(
            [*CLI, "run", "list_workspaces", "--json", "{}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        assert process.stdout is not None
        chunks = []
        while chunk := os.read(process.stdout.fileno(), 64 * 1024):
            chunks.append(chunk)
        assert process.wait(timeout=120) == 0
    output = b"".join(chunks)
    assert len(output) > 1024 * 1024 and len(chunks) > 1
    assert output.count(b"\n") == 1 and output.endswith(b"\n")
    result = json.loads(output)
    assert (result["status"], result["count"]) == ("success", 5000)
    # A reader that parsed each chunk on its own, as a naive exec node does, would fail.
    with pytest.raises(ValueError):
        json.loads(chunks[0])
