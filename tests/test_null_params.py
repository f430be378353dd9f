"""`null` for an optional parameter means "left out", through every entry point; `null`
for a required one is still a validation error."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from typing import Any

from clockify_actions import Pack
from clockify_actions.adapters.worker import serve
from conftest import API_KEY, FAST, Run
from fake_clockify import WS, FakeClockify

PROJECT_WITH_NULLS = {"workspace_id": WS, "name": "Launch", "client_id": None, "is_private": None}


def test_python_run_treats_null_optionals_as_omitted(run: Run) -> None:
    with_nulls = run("create_project", PROJECT_WITH_NULLS, dry_run=True)
    without = run("create_project", {"workspace_id": WS, "name": "Launch"}, dry_run=True)
    assert with_nulls["status"] == "dry_run", with_nulls
    assert with_nulls["requests"] == without["requests"]
    assert with_nulls["requests"][0]["json"] == {"name": "Launch"}


def test_the_handler_never_sees_a_null_optional(run: Run, clockify: FakeClockify) -> None:
    clockify.answer("GET", f"/workspaces/{WS}/projects", body=[])
    result = run("list_projects", {"workspace_id": WS, "archived": None})
    assert result["status"] == "success", result
    assert "archived" not in clockify.only.query


def test_null_for_a_required_parameter_is_still_refused(run: Run, clockify: FakeClockify) -> None:
    result = run("create_project", {"workspace_id": WS, "name": None})
    assert result["error"]["type"] == "validation_error"
    assert [d["path"] for d in result["error"]["details"] if "path" in d] == ["/name"]
    assert clockify.sent == []


def test_null_for_an_unknown_parameter_is_still_refused(run: Run, clockify: FakeClockify) -> None:
    result = run("list_workspaces", {"workspace": None})
    assert result["error"]["type"] == "validation_error"
    assert "unknown parameter" in result["error"]["details"][0]["message"]
    assert clockify.sent == []


def _cli(stdin: dict[str, Any], *args: str) -> tuple[int, dict[str, Any]]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLOCKIFY_")}
    result = subprocess.run(
        [sys.executable, "-m", "clockify_actions", "run", *args],
        input=json.dumps(stdin).encode(),
        capture_output=True,
        env={**environment, "CLOCKIFY_API_KEY": API_KEY},
        timeout=60,
    )
    document: dict[str, Any] = json.loads(result.stdout)
    return result.returncode, document


def test_cli_stdin_treats_null_optionals_as_omitted() -> None:
    code, document = _cli(PROJECT_WITH_NULLS, "create_project", "--dry-run")
    assert code == 0, document
    assert document["requests"][0]["json"] == {"name": "Launch"}


def test_cli_null_for_a_required_parameter_is_a_usage_error() -> None:
    code, document = _cli({"workspace_id": WS, "name": None}, "create_project", "--dry-run")
    assert code == 2
    assert document["error"]["type"] == "validation_error"


def test_serve_treats_null_optionals_as_omitted(pack: Pack, clockify: FakeClockify) -> None:
    clockify.answer("GET", f"/workspaces/{WS}/projects", body=[])
    request = {"id": 1, "action": "list_projects", "input": {"workspace_id": WS, "archived": None}}
    out = io.StringIO()
    serve(
        pack,
        io.BytesIO(json.dumps(request).encode() + b"\n"),
        out,
        {"transport": clockify.transport, "api_key": API_KEY, "settings": FAST},
    )
    answer = json.loads(out.getvalue())
    assert answer["envelope"]["status"] == "success", answer
    assert "archived" not in clockify.only.query
