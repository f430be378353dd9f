"""`clockify-actions poll`, `webhook verify` and trigger lines in `serve`, on the sandbox."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from clockify_actions.adapters import cli, statefile
from clockify_actions.adapters.cli import commands
from clockify_actions.sandbox import DB_ENV_VAR, DEMO_API_KEY, DEMO_WORKSPACE_ID, Sandbox

START = datetime(2026, 1, 28, 9, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "sandbox.sqlite3"
    monkeypatch.setenv(DB_ENV_VAR, str(path))
    monkeypatch.delenv("CLOCKIFY_API_KEY", raising=False)
    with Sandbox.open(path) as sandbox:
        sandbox.set_time(START)
    return path


def _cli(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> tuple[int, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "clockify_actions", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=600,
    )
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout + result.stderr
    return result.returncode, json.loads(lines[0])


def _new_client(db: Path, name: str, minute: int) -> str:
    with Sandbox.open(db) as sandbox:
        sandbox.set_time(START.replace(minute=minute))
        with httpx.Client(transport=sandbox.transport(), base_url="http://x/api/v1") as app:
            answer = app.post(
                f"/workspaces/{DEMO_WORKSPACE_ID}/clients",
                json={"name": name},
                headers={"X-Api-Key": DEMO_API_KEY},
            )
        assert answer.status_code == 201, answer.text
        sandbox.set_time(START.replace(minute=minute + 1))
        client_id: str = answer.json()["id"]
        return client_id


def test_poll_prints_the_events_and_keeps_the_state_in_its_file(db: Path, tmp_path: Path) -> None:
    state = tmp_path / "clients.json"
    args = ("poll", "new_client", "--state", str(state), "--sandbox")
    params = ("--param", f"workspace_id={DEMO_WORKSPACE_ID}")
    assert _cli(*args, *params) == (0, {"status": "success", "events": []})
    first = json.loads(state.read_text())
    assert first == {
        "trigger": "new_client",
        "workspace_id": DEMO_WORKSPACE_ID,
        "cursor": "2026-01-28T09:00:00Z",
        "seen": {},
    }
    client_id = _new_client(db, "Hooli", 5)
    code, document = _cli(*args, *params)
    assert code == 0
    assert document == {
        "status": "success",
        "events": [
            {
                "event_id": f"NEW_CLIENT:{client_id}",
                "id": client_id,
                "name": "Hooli",
                "workspace_id": DEMO_WORKSPACE_ID,
                "archived": False,
            }
        ],
    }
    assert json.loads(state.read_text())["seen"] == {client_id: "2026-01-28T09:05:00Z"}
    assert _cli(*args, *params) == (0, {"status": "success", "events": []})
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".clients")] == []


def test_the_state_is_replaced_only_after_the_events_are_written(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state.json"
    order: list[str] = []
    real_emit, real_replace = commands.emit, statefile.replace
    monkeypatch.setattr(commands, "emit", lambda text: (order.append("printed"), real_emit(text)))
    monkeypatch.setattr(
        statefile, "replace", lambda path, s: (order.append("saved"), real_replace(path, s))
    )
    args = ["poll", "new_client", "--state", str(state), "--sandbox"]
    assert cli.main([*args, "--param", f"workspace_id={DEMO_WORKSPACE_ID}"]) == 0
    assert order == ["printed", "saved"]


def test_a_state_that_cannot_be_saved_leaves_the_old_one_and_says_so(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state.json"
    args = ["poll", "new_client", "--state", str(state), "--sandbox"]
    params = ["--param", f"workspace_id={DEMO_WORKSPACE_ID}"]
    assert cli.main([*args, *params]) == 0
    kept = state.read_text()
    capsys.readouterr()
    client_id = _new_client(db, "Pied Piper", 5)

    def full_disk(path: Path, new_state: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(statefile, "replace", full_disk)
    assert cli.main([*args, *params]) == 2
    out, err = capsys.readouterr()
    (line,) = out.splitlines()
    assert [e["id"] for e in json.loads(line)["events"]] == [client_id]
    assert "delivers them again" in err
    assert state.read_text() == kept
    monkeypatch.undo()
    monkeypatch.setenv(DB_ENV_VAR, str(db))
    # The next poll, from the old state, delivers the same event again.
    assert cli.main([*args, *params]) == 0
    again = json.loads(capsys.readouterr().out)
    assert [e["id"] for e in again["events"]] == [client_id]


def test_a_state_file_that_is_not_json_is_a_config_error(db: Path, tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text("{not json")
    code, document = _cli(
        "poll", "new_client", "--state", str(state), "--sandbox",
        "--param", f"workspace_id={DEMO_WORKSPACE_ID}",
    )  # fmt: skip
    assert code == 2 and document["error"]["type"] == "config_error"
    assert state.read_text() == "{not json"


def test_statefile_replace_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    statefile.replace(path, {"cursor": "x"})
    statefile.replace(path, {"cursor": "y"})
    assert statefile.read(path) == {"cursor": "y"}
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]


REQUEST = (
    "POST /clockify HTTP/1.1\r\n"
    "Host: 127.0.0.1:8080\r\n"
    "Content-Type: application/json\r\n"
    "Clockify-Signature: {signature}\r\n"
    "Clockify-Webhook-Event-Type: NEW_TAG\r\n"
    "\r\n"
    '{{"id": "6979f3385a4db0c10c000006", "name": "urgent", "workspaceId": "w1", "archived": false}}'
)


def test_webhook_verify_prints_the_triggers_event_or_refuses() -> None:
    token = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    env = {"HOOK_TOKEN": token}
    code, document = _cli(
        "webhook", "verify", "--token-env", "HOOK_TOKEN",
        stdin=REQUEST.format(signature=token), env=env,
    )  # fmt: skip
    assert code == 0
    assert document == {
        "status": "success",
        "trigger": "new_tag",
        "webhook_event": "NEW_TAG",
        "events": [
            {
                "event_id": "NEW_TAG:6979f3385a4db0c10c000006",
                "id": "6979f3385a4db0c10c000006",
                "name": "urgent",
                "workspace_id": "w1",
                "archived": False,
            }
        ],
    }
    code, refused = _cli(
        "webhook", "verify", "--token-env", "HOOK_TOKEN",
        stdin=REQUEST.format(signature=token[:-1] + "1"), env=env,
    )  # fmt: skip
    assert code == 3 and refused["error"]["type"] == "auth_error"
    assert token not in json.dumps(refused)


def test_serve_answers_a_trigger_line_with_the_poll_envelope(db: Path) -> None:
    from clockify_actions.adapters.worker import serve
    from clockify_actions.runtime import load_pack

    pack = load_pack()
    with Sandbox.open(db) as sandbox:
        options: dict[str, Any] = {
            "transport": sandbox.transport(),
            "api_key": DEMO_API_KEY,
            "base_url": "http://sandbox.localhost/api/v1",
        }
        lines = [
            {"id": 1, "trigger": "new_project", "input": {"workspace_id": DEMO_WORKSPACE_ID}},
            {"id": 2, "trigger": "new_project", "action": "list_workspaces"},
        ]
        stream = io.BytesIO("".join(json.dumps(line) + "\n" for line in lines).encode())
        out = io.StringIO()
        assert serve(pack, stream, out, options) == 0
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["id"] == 1 and first["envelope"]["status"] == "success"
    assert first["envelope"]["events"] == [] and "cursor" in first["envelope"]["state"]
    assert second["envelope"]["error"]["type"] == "validation_error"


def test_list_and_describe_show_the_triggers() -> None:
    code, listed = _cli("list")
    assert code == 0
    from clockify_actions.runtime import load_pack

    # In the manifest's order, every trigger and no action.
    assert [t["name"] for t in listed["triggers"]] == list(load_pack().triggers)
    assert {"new_time_entry", "timer_started", "new_tag"} <= set(load_pack().triggers)
    code, described = _cli("describe", "new_time_entry")
    assert code == 0 and described["kind"] == "trigger"
    assert set(described["guarantee"]) == {"duplicates", "misses", "requests"}


def test_a_state_path_that_is_a_symbolic_link_is_refused_and_left_as_it_is(
    db: Path, tmp_path: Path
) -> None:
    target = tmp_path / "elsewhere.json"
    target.write_text("")
    link = tmp_path / "state.json"
    link.symlink_to(target)
    code, document = _cli(
        "poll", "new_client", "--state", str(link), "--sandbox",
        "--param", f"workspace_id={DEMO_WORKSPACE_ID}",
    )  # fmt: skip
    assert code == 2 and document["error"]["type"] == "config_error"
    assert str(link) in document["error"]["message"]
    assert link.is_symlink() and target.read_text() == ""


def test_another_triggers_state_file_is_refused_and_left_as_it_is(db: Path, tmp_path: Path) -> None:
    state = tmp_path / "projects.json"
    params = ("--param", f"workspace_id={DEMO_WORKSPACE_ID}")
    assert _cli("poll", "new_project", "--state", str(state), "--sandbox", *params)[0] == 0
    written = state.read_bytes()
    code, document = _cli("poll", "new_client", "--state", str(state), "--sandbox", *params)
    assert code == 2 and document["error"]["type"] == "validation_error"
    assert state.read_bytes() == written
