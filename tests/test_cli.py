"""The JSON CLI: one JSON document on stdout whatever happens, and a documented exit code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from clockify_actions import load_pack
from clockify_actions.adapters import cli
from clockify_actions.adapters.cli import commands
from fake_clockify import WS

KEY = "cli-secret-Kq93hTzP0w"


def clockify_actions(
    *args: str, stdin: str | bytes | None = None, env: dict[str, str] | None = None
) -> tuple[int, Any, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLOCKIFY_")}
    environment.update(env or {})
    result = subprocess.run(
        [sys.executable, "-m", "clockify_actions", *args],
        input=stdin.encode() if isinstance(stdin, str) else stdin,
        capture_output=True,
        env=environment,
        timeout=60,
    )
    stdout = result.stdout.decode()
    assert stdout.count("\n") == 1 and stdout.endswith("\n"), f"one JSON line expected: {stdout!r}"
    return result.returncode, json.loads(stdout), result.stderr.decode()


def test_list_names_every_action_in_the_manifests_order() -> None:
    code, document, _ = clockify_actions("list")
    assert code == 0
    assert [a["name"] for a in document["actions"]] == list(load_pack().actions)
    assert all(set(a) == {"name", "title", "description", "hints"} for a in document["actions"])


def test_describe_returns_fully_resolved_schemas() -> None:
    code, document, _ = clockify_actions("describe", "create_time_entry")
    assert code == 0
    assert document["title"] == "Create Clockify time entry"
    assert "$ref" not in json.dumps(document)
    assert document["parameters"]["properties"]["workspace_id"]["pattern"] == "^[0-9a-f]{24}$"


def test_param_values_follow_the_parameter_type() -> None:
    code, document, _ = clockify_actions(
        "run",
        "create_project",
        "--param",
        f"workspace_id={WS}",
        "--param",
        "name=123",
        "--param",
        "is_private=true",
        "--dry-run",
        env={"CLOCKIFY_API_KEY": KEY},
    )
    assert code == 0
    assert document["status"] == "dry_run"
    request = document["requests"][0]
    assert request["json"] == {"name": "123", "isPublic": False}
    assert (request["method"], request["url"]) == (
        "POST",
        f"https://api.clockify.me/api/v1/workspaces/{WS}/projects",
    )
    assert KEY not in json.dumps(document)


def test_boolean_param_refuses_other_words() -> None:
    code, document, _ = clockify_actions(
        "run", "list_projects", "--param", f"workspace_id={WS}", "--param", "archived=yes"
    )
    assert code == 2
    assert document["error"]["type"] == "validation_error"


@pytest.mark.parametrize(
    ("stdin", "fragment"),
    [
        ("not json", "not valid JSON"),
        ("", "empty"),
        ("[1, 2]", "JSON object"),
        ("42", "JSON object"),
        (b"\xff\xfe{}", "UTF-8"),
    ],
    ids=["garbage", "empty", "array", "number", "bad-utf8"],
)
def test_bad_stdin_is_a_clear_error_with_exit_2(stdin: str | bytes, fragment: str) -> None:
    code, document, stderr = clockify_actions(
        "run", "list_workspaces", stdin=stdin, env={"CLOCKIFY_API_KEY": KEY}
    )
    assert code == 2
    assert document["status"] == "error"
    assert fragment in document["error"]["message"]
    assert "Traceback" not in stderr


def test_large_stdin_is_refused() -> None:
    code, document, _ = clockify_actions(
        "run", "list_workspaces", stdin="{" + " " * (11 * 1024 * 1024) + "}"
    )
    assert code == 2
    assert "larger than" in document["error"]["message"]


def test_usage_mistake_is_still_one_json_document() -> None:
    code, document, _ = clockify_actions("frobnicate")
    assert code == 2
    assert document["error"]["type"] == "validation_error"


def test_missing_key_is_config_error_exit_2() -> None:
    code, document, stderr = clockify_actions("run", "list_workspaces", stdin="{}")
    assert code == 2
    assert document["error"]["type"] == "config_error"
    assert "CLOCKIFY_API_KEY" in stderr


def test_api_key_env_option_reads_another_variable() -> None:
    code, document, _ = clockify_actions(
        "run", "list_workspaces", "--api-key-env", "MY_KEY", "--dry-run", env={"MY_KEY": KEY}
    )
    assert code == 0
    assert document["requests"][0]["headers"]["x-api-key"] == "[redacted]"


def test_uncaught_bug_becomes_internal_error_with_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: object, pack: object) -> dict[str, Any]:
        raise RuntimeError(f"boom with {KEY}")

    monkeypatch.setenv("CLOCKIFY_API_KEY", KEY)
    monkeypatch.setattr(commands, "execute", broken)
    assert cli.main(["list"]) == 1
    out, err = capsys.readouterr()
    document = json.loads(out)
    assert document["error"]["type"] == "internal_error"
    assert KEY not in out + err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("stdin", "fragment"),
    [
        ('{"a": ' * 100_000, "nested too deeply"),
        ('{"name": "ab\\udcff"}', "surrogate"),
        ('{"x": NaN}', "NaN"),
    ],
    ids=["deep", "lone-surrogate", "nan"],
)
def test_json_no_request_could_carry_is_a_usage_error(stdin: str, fragment: str) -> None:
    code, document, stderr = clockify_actions("run", "list_workspaces", stdin=stdin)
    assert code == 2
    assert fragment in document["error"]["message"]
    assert "Traceback" not in stderr


@pytest.mark.parametrize("path", ["/nonexistent/input.json", "/"])
def test_unreadable_input_file_is_a_usage_error(path: str) -> None:
    code, document, _ = clockify_actions("run", "list_workspaces", "--input", path)
    assert code == 2
    assert "Cannot read --input" in document["error"]["message"]


def test_undecodable_argument_still_gives_valid_json_on_stdout() -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLOCKIFY_")}
    result = subprocess.run(
        [sys.executable, "-m", "clockify_actions", "run", "list_workspaces", "--param", "\udcff=1"],
        capture_output=True,
        env=environment,
        timeout=60,
    )
    document = json.loads(result.stdout.decode("utf-8"))
    assert result.returncode == 2
    assert document["error"]["type"] == "validation_error"


def test_dry_run_needs_no_api_key() -> None:
    code, document, _ = clockify_actions("run", "list_workspaces", "--dry-run")
    assert code == 0
    assert document["requests"][0]["headers"]["x-api-key"] == "[redacted]"


def test_output_is_utf8_json_whatever_the_locale() -> None:
    code, document, _ = clockify_actions(
        "run",
        "create_project",
        "--param",
        f"workspace_id={WS}",
        "--param",
        "name=Zeit ⏱️ erfassen",
        "--dry-run",
        env={"LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "latin-1", "PYTHONUTF8": "0"},
    )
    assert code == 0
    assert document["requests"][0]["json"]["name"] == "Zeit ⏱️ erfassen"
