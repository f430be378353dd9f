"""The state file is the sandbox's own: a file it did not write, or cannot read, is never
dropped, altered or re-seeded, whichever command meets it; an older one of its own is
migrated with its data. `sandbox reset` replaces only what it may, and keeps the old file."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from clockify_actions.adapters.cli import main as pack_main
from clockify_actions.sandbox import DEMO_WORKSPACE_ID, SECOND_WORKSPACE_ID, Sandbox, StateFileError
from clockify_actions.sandbox._schema import SCHEMA_VERSION
from clockify_actions.sandbox.cli import main

from .sandbox_testkit import ROOT

KEPT = "Kept 000001"  # the name of the project that stands for the user's own data


def own_file(path: Path) -> Path:
    """A sandbox state file holding one project beyond the seed."""
    with Sandbox.open(path) as sandbox:
        sandbox.seed_projects(SECOND_WORKSPACE_ID, 1, "Kept")
    return path


def kept_names(path: Path) -> list[str]:
    with Sandbox.open(path) as sandbox:
        return [project["name"] for project in sandbox.projects(SECOND_WORKSPACE_ID)]


def pragma(path: Path, name: str) -> int:
    db = sqlite3.connect(path)
    try:
        (value,) = db.execute(f"PRAGMA {name}").fetchone()
        return int(value)
    finally:
        db.close()


def alter(path: Path, *statements: str) -> Path:
    db = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            db.execute(statement)
    finally:
        db.close()
    return path


def flip(path: Path, offset: int, mask: int = 0x01) -> Path:
    data = bytearray(path.read_bytes())
    data[offset] ^= mask
    path.write_bytes(bytes(data))
    return path


def garble(path: Path) -> Path:
    """The database with its SQLite header intact and the rest of its first page, which
    holds the schema, overwritten: sandbox state damaged on disk."""
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xa5" * (4096 - 100)
    path.write_bytes(bytes(data))
    return path


def foreign(path: Path, user_version: int = 0) -> Path:
    """Someone else's database, e.g. an app's, that CLOCKIFY_SANDBOX_DB points at by mistake."""
    return alter(
        path,
        "CREATE TABLE notes (body TEXT NOT NULL)",
        "INSERT INTO notes VALUES ('do not lose me')",
        f"PRAGMA user_version = {user_version}",
    )


def unmarked(path: Path) -> Path:
    """A state file as the releases before the marker wrote it: no application_id, schema
    version 2 (no tags or tasks yet)."""
    return alter(
        own_file(path),
        "DROP TABLE tags",
        "DROP TABLE tasks",
        "PRAGMA user_version = 2",
        "PRAGMA application_id = 0",
    )


NOT_OURS: dict[str, Callable[[Path], Path]] = {
    "foreign": foreign,
    "foreign-at-version-1": lambda path: foreign(path, 1),
    "foreign-at-version-2": lambda path: foreign(path, 2),
    "newer-release": lambda path: alter(
        own_file(path), f"PRAGMA user_version = {SCHEMA_VERSION + 1}"
    ),
    "unmarked-unknown-version": lambda path: alter(unmarked(path), "PRAGMA user_version = 7"),
    "magic-byte-flipped": lambda path: flip(own_file(path), 0),
    "application-id-byte-flipped": lambda path: flip(own_file(path), 71),
    "version-byte-flipped": lambda path: flip(own_file(path), 63),
    "text-file": lambda path: (path.write_text("my notes\n" * 500), path)[1],
}


# Sandbox state damaged on disk: a database by its SQLite header, that cannot be read.
CORRUPT: dict[str, Callable[[Path], Path]] = {
    "pages-garbled": lambda path: garble(own_file(path)),
    "header-cut-short": lambda path: (
        path.write_bytes(b"SQLite format 3\x00" + b"\x10" * 20),
        path,
    )[1],
}


def snapshot(path: Path) -> tuple[bytes, int, list[str]]:
    """The file's bytes and mtime, and what lies beside it."""
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(os.listdir(path.parent))


@pytest.mark.parametrize("make", NOT_OURS.values(), ids=NOT_OURS.keys())
def test_a_file_that_is_not_a_current_state_file_is_refused_and_left_untouched(
    tmp_path: Path, make: Callable[[Path], Path]
) -> None:
    path = make(tmp_path / "state.sqlite3")
    before = snapshot(path)
    with pytest.raises(StateFileError) as raised:
        Sandbox.open(path)
    assert str(path) in str(raised.value)
    assert "sandbox reset --db" in str(raised.value)
    assert snapshot(path) == before


def envelope(out: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(out)
    assert document["status"] == "error", document
    assert set(document["error"]) >= {"type", "message", "retryable", "details"}
    return document


COMMANDS = {
    "run --sandbox": lambda db: pack_main(["run", "list_workspaces", "--sandbox"]),
    "sandbox fault list": lambda db: main(["fault", "list", "--db", str(db)]),
    "sandbox serve": lambda db: main(["serve", "--db", str(db)]),
    "sandbox clock set": lambda db: main(["clock", "set", "2025-01-01T00:00:00Z", "--db", str(db)]),
}


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
@pytest.mark.parametrize("make", ["foreign", "newer-release", "magic-byte-flipped"])
def test_every_command_answers_a_config_error_that_names_the_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: Callable[[Path], int],
    make: str,
) -> None:
    path = NOT_OURS[make](tmp_path / "state.sqlite3")
    monkeypatch.setenv("CLOCKIFY_SANDBOX_DB", str(path))
    before = snapshot(path)
    code = command(path)
    captured = capsys.readouterr()
    error = envelope(captured.out)["error"]
    assert (code, error["type"]) == (2, "config_error")
    assert str(path) in error["message"] and "CLOCKIFY_SANDBOX_DB" in error["message"]
    assert "Traceback" not in captured.err
    assert snapshot(path) == before


def test_a_directory_at_the_path_is_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "state.sqlite3"
    path.mkdir()
    assert main(["fault", "list", "--db", str(path)]) == 2
    error = envelope(capsys.readouterr().out)["error"]
    assert error["type"] == "config_error" and str(path) in error["message"]
    assert list(path.iterdir()) == []


def run_unprivileged(
    *argv: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> tuple[int, str, str]:
    """Runs Python where file permissions bind: as root, without the capabilities that let
    root pass every permission check."""
    drop = ["setpriv", "--bounding-set", "-all", "--inh-caps", "-all"] if os.geteuid() == 0 else []
    result = subprocess.run(
        [*drop, sys.executable, *argv],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src"), **(env or {})},
        **({"stdin": subprocess.DEVNULL} if stdin is None else {"input": stdin}),
        timeout=60,
    )
    return result.returncode, result.stdout, result.stderr


@pytest.mark.parametrize("via", ["sandbox", "run"])
@pytest.mark.parametrize("case", ["unreadable-file", "read-only-directory"])
def test_a_file_it_cannot_read_or_create_is_a_config_error(
    tmp_path: Path, case: str, via: str
) -> None:
    if case == "unreadable-file":
        path = own_file(tmp_path / "state.sqlite3")
        path.chmod(0)
        before: object = snapshot(path)
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o555)
        locked.chmod(0o555)
        path = locked / "state.sqlite3"
        before = sorted(os.listdir(locked))
    argv = (
        ["-m", "clockify_actions.sandbox.cli", "fault", "list", "--db", str(path)]
        if via == "sandbox"
        else ["-m", "clockify_actions", "run", "list_workspaces", "--sandbox"]
    )
    code, out, err = run_unprivileged(*argv, env={"CLOCKIFY_SANDBOX_DB": str(path)})
    error = envelope(out)["error"]
    assert (code, error["type"]) == (2, "config_error"), err
    assert str(path) in error["message"]
    assert "Traceback" not in err
    after = snapshot(path) if case == "unreadable-file" else sorted(os.listdir(path.parent))
    assert after == before


READ_ONLY_COMMANDS = {
    "run a write": (
        ["-m", "clockify_actions", "run", "create_project", "--sandbox"],
        '{"workspace_id": "64b7c0de5eed000000000b01", "name": "Never made"}',
    ),
    "sandbox reset": (["-m", "clockify_actions.sandbox.cli", "reset"], None),
    "sandbox fault list": (["-m", "clockify_actions.sandbox.cli", "fault", "list"], None),
}


@pytest.mark.parametrize("command", READ_ONLY_COMMANDS.values(), ids=READ_ONLY_COMMANDS.keys())
def test_a_state_file_it_can_read_but_not_write_is_a_config_error_naming_it(
    tmp_path: Path, command: tuple[list[str], str | None]
) -> None:
    """A read-only file (or mount, or an immutable file) opens read-only without a word:
    refused at once, not as Clockify's 500 with an unknown outcome once a request writes."""
    path = own_file(tmp_path / "state.sqlite3")
    path.chmod(0o444)
    before = path.read_bytes()
    argv, stdin = command
    code, out, err = run_unprivileged(*argv, env={"CLOCKIFY_SANDBOX_DB": str(path)}, stdin=stdin)
    error = envelope(out)["error"]
    assert (code, error["type"]) == (2, "config_error"), err
    assert str(path) in error["message"] and "cannot write" in error["message"]
    assert "Traceback" not in err
    assert path.read_bytes() == before
    assert KEPT in kept_names(path)


def test_an_unmarked_state_file_of_the_last_release_is_kept_and_marked(tmp_path: Path) -> None:
    path = unmarked(tmp_path / "state.sqlite3")
    assert KEPT in kept_names(path)
    assert pragma(path, "application_id") != 0
    assert pragma(path, "user_version") == SCHEMA_VERSION


def test_a_version_1_state_file_is_migrated_with_its_data(tmp_path: Path) -> None:
    # Version 1 had one more column, projects.client_id, and no marker.
    path = alter(
        unmarked(tmp_path / "state.sqlite3"),
        "ALTER TABLE projects ADD COLUMN client_id TEXT NOT NULL DEFAULT ''",
        "PRAGMA user_version = 1",
    )
    assert KEPT in kept_names(path)
    assert (pragma(path, "user_version"), pragma(path, "application_id") != 0) == (
        SCHEMA_VERSION,
        True,
    )
    db = sqlite3.connect(path)
    columns = [row[1] for row in db.execute("PRAGMA table_info(projects)")]
    db.close()
    assert "client_id" not in columns


def reset(capsys: pytest.CaptureFixture[str], path: Path, *options: str) -> tuple[int, Any]:
    code = main(["reset", "--db", str(path), *options])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, json.loads(captured.out)


@pytest.mark.parametrize("make", ["pages-garbled", "header-cut-short"])
def test_reset_moves_a_corrupt_file_aside_and_seeds_a_new_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: str
) -> None:
    path = CORRUPT[make](tmp_path / "state.sqlite3")
    original = path.read_bytes()
    code, shown = reset(capsys, path)
    assert code == 0
    aside = Path(shown["moved_aside"])
    assert shown == {"reset": True, "db": str(path), "moved_aside": str(aside)}
    assert aside.parent == path.parent and aside.name.startswith("state.sqlite3.corrupt-")
    assert aside.read_bytes() == original
    assert KEPT not in kept_names(path)
    with Sandbox.open(path) as sandbox:
        assert sandbox.projects(DEMO_WORKSPACE_ID)


@pytest.mark.parametrize(
    "make", ["foreign", "foreign-at-version-2", "newer-release", "text-file", "magic-byte-flipped"]
)
def test_reset_replaces_a_file_that_is_not_a_state_file_only_with_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: str
) -> None:
    path = NOT_OURS[make](tmp_path / "state.sqlite3")
    before = snapshot(path)
    code, shown = reset(capsys, path)
    assert (code, shown["error"]["type"]) == (2, "config_error")
    assert "--force" in shown["error"]["message"]
    assert snapshot(path) == before

    code, shown = reset(capsys, path, "--force")
    assert code == 0
    assert Path(shown["moved_aside"]).read_bytes() == before[0]
    with Sandbox.open(path) as sandbox:
        assert sandbox.projects(DEMO_WORKSPACE_ID)


def test_reset_of_a_state_file_moves_nothing_aside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = own_file(tmp_path / "state.sqlite3")
    assert reset(capsys, path, "--force") == (0, {"reset": True, "db": str(path)})
    assert KEPT not in kept_names(path)
    assert os.listdir(tmp_path) == ["state.sqlite3"]


_OPENER = """
import sys, time
from clockify_actions.sandbox.cli import main
go = float(sys.argv[2])
time.sleep(max(0.0, go - time.time()))  # all start together, once all have imported
raise SystemExit(main(["fault", "list", "--db", sys.argv[1]]))
"""


@pytest.mark.parametrize("state", ["new", "unmarked"])
def test_commands_racing_to_open_one_file_all_find_it_theirs(tmp_path: Path, state: str) -> None:
    path = tmp_path / "state.sqlite3"
    if state == "unmarked":
        unmarked(path)
    go = time.time() + 1.5
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    openers = [
        subprocess.Popen(
            [sys.executable, "-c", _OPENER, str(path), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        for _ in range(6)
    ]
    results = [opener.communicate(timeout=60) for opener in openers]
    assert [json.loads(out) for out, _ in results] == [{"faults": []}] * 6, results
    assert [opener.returncode for opener in openers] == [0] * 6
    assert (KEPT in kept_names(path)) == (state == "unmarked")


def test_the_unreadable_mode_bits_really_bind_the_unprivileged_runner(tmp_path: Path) -> None:
    """Guards the two permission cases above: were the runner privileged, they would pass
    for the wrong reason."""
    secret = tmp_path / "secret"
    secret.write_text("x")
    secret.chmod(stat.S_IWUSR)
    code, _, err = run_unprivileged("-c", f"open({str(secret)!r}).read()")
    assert code != 0 and "PermissionError" in err
