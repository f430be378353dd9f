"""The API key never leaves the process: not whole, not in part, on any path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from clockify_actions import load_pack
from clockify_actions.runtime import Action
from clockify_actions.sandbox import DEMO_USER_ID, DEMO_WORKSPACE_ID, Sandbox

KEY = "Zx9Qw7Lk3Vb5Np1Rt8Ys2HdGm"
SLICES = {KEY[i : i + 6] for i in range(len(KEY) - 5)}

# What makes a fixture's outcome depend on more than its input and the seeded sandbox.
_NOT_PLAIN = {"faults", "api_key", "connection", "settings"}


def _sandbox_fixture(action: Action) -> dict[str, Any]:
    """The action's first fixture recorded on the sandbox that expects a success with the
    plain connection, preferring one that needs no `setup`: one that succeeds on a freshly
    seeded sandbox, or after the actions before it."""
    candidates = []
    for path in sorted((action.folder / "fixtures").glob("*.yaml")):
        fixture = yaml.safe_load(path.read_text(encoding="utf-8"))
        recorded_on_sandbox = fixture.get("recorded", "sandbox") == "sandbox"
        if recorded_on_sandbox and "output" in fixture["expect"] and not _NOT_PLAIN & set(fixture):
            candidates.append(fixture)
    if not candidates:
        raise AssertionError(f"{action.name} has no fixture that succeeds on the sandbox")
    return min(candidates, key=lambda fixture: "setup" in fixture)


# Every action, in the manifest's order, on one sandbox, a fixture's `setup` not sent:
# an action that needs a prior state (a stop needs a running timer) relies on an earlier
# action (the start) having made it, as a user's session would.
FIXTURES = {name: _sandbox_fixture(action) for name, action in load_pack().actions.items()}
INPUTS: dict[str, dict[str, Any]] = {name: fixture["input"] for name, fixture in FIXTURES.items()}
# The sandbox's seeded records share one id prefix; a record a fixture's `setup` made has
# an id of the clock's, which this session's clock never gives again.
_SEEDED = DEMO_WORKSPACE_ID[:12]
SETUP_BOUND = {
    name
    for name, fixture in FIXTURES.items()
    if "setup" in fixture
    and any(
        isinstance(value, str) and len(value) == 24 and not value.startswith(_SEEDED)
        for key, given in fixture["input"].items()
        if key.endswith(("_id", "_ids"))
        for value in (given if isinstance(given, list) else [given])
    )
}


def _every(**fault: Any) -> list[dict[str, Any]]:
    return [{"method": "*", "path": "**", "times": None, **fault}]


# Each path: the sandbox's faults for the whole run, and whether the key is known to it.
PATHS: dict[str, tuple[list[dict[str, Any]], bool]] = {
    "success": ([], True),
    "unknown-key": ([], False),
    "forbidden": (_every(action="status", status=403, when="before"), True),
    "refused": (_every(action="status", status=400, when="before"), True),
    "missing": (_every(action="status", status=404, when="before"), True),
    "rate-limited": (_every(action="status", status=429, when="before"), True),
    "server-error": (_every(action="status", status=500, when="before"), True),
    "html-502": (_every(action="status", status=502, when="before", body="html"), True),
    "dropped": (_every(action="drop", when="after"), True),
    "timeout": (_every(action="timeout", when="before"), True),
    "truncated": (_every(action="truncate", when="after"), True),
}


def _requests() -> str:
    lines = []
    for number, (name, params) in enumerate(INPUTS.items()):
        lines.append({"id": number, "action": name, "input": params})
        # The key where a confused caller might put it: in the input itself.
        lines.append(
            {"id": f"{number}-bad", "action": name, "input": {**params, "workspace_id": KEY}}
        )
        lines.append(
            {
                "id": f"{number}-region",
                "action": name,
                "input": params,
                "connection": {"region": KEY},
            }
        )
    return "".join(json.dumps(line) + "\n" for line in lines)


def _environment(tmp_path: Path, faults: list[dict[str, Any]]) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLOCKIFY_")}
    environment.update(
        {
            "LEAK_KEY": KEY,
            "CLOCKIFY_SANDBOX_DB": str(tmp_path / "sandbox.sqlite3"),
            "CLOCKIFY_SANDBOX_FAULTS": json.dumps(faults),
            "CLOCKIFY_RETRY_BASE_DELAY": "0.001",
            "CLOCKIFY_RETRY_MAX_DELAY": "0.002",
        }
    )
    return environment


def _assert_no_leak(text: str) -> None:
    assert KEY not in text
    leaked = sorted(s for s in SLICES if s in text)
    assert not leaked, f"parts of the key appear in the output: {leaked}"


@pytest.mark.parametrize("path", PATHS)
def test_no_part_of_the_key_leaves_the_worker(tmp_path: Path, path: str) -> None:
    faults, key_known = PATHS[path]
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as sandbox:
        if key_known:
            sandbox.set_api_key(DEMO_USER_ID, KEY)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "clockify_actions",
            "serve",
            "--sandbox",
            "--api-key-env",
            "LEAK_KEY",
            "-v",
        ],
        input=_requests(),
        capture_output=True,
        text=True,
        env=_environment(tmp_path, faults),
        timeout=600,
    )
    answers = [json.loads(line)["envelope"] for line in result.stdout.splitlines()]
    assert len(answers) == 3 * len(INPUTS)
    if path == "success":
        # An action whose only success fixture acts on a record its own `setup` made
        # meets nothing to act on in this session, and says so.
        for name, answer in zip(INPUTS, answers[::3], strict=True):
            expected = "not_found" if name in SETUP_BOUND else "success"
            assert answer.get("error", {}).get("type", answer["status"]) == expected, name
    elif path == "truncated":
        # Half of an empty body is all of it: only the deletes Clockify answers without a
        # body (a time entry's 204, an expense's empty 200, a category's 204) cannot be cut.
        # A receipt's bytes carry no check of their own: cut with a Content-Length that
        # matches, they cannot be told from a whole file.
        succeeded = [
            n for n, a in zip(INPUTS, answers[::3], strict=True) if a["status"] == "success"
        ]
        assert succeeded == [
            "delete_time_entry",
            "delete_expense",
            "delete_expense_category",
            "get_expense_receipt",
        ]
        assert [a["status"] == "success" for a in answers].count(True) == len(succeeded)
    else:
        assert all(a["status"] == "error" for a in answers)
    assert "INFO" in result.stderr or path == "timeout", "the -v request log was written"
    _assert_no_leak(result.stdout + result.stderr)


@pytest.mark.parametrize("name", INPUTS)
def test_dry_run_and_request_log_hide_the_key(tmp_path: Path, name: str) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "clockify_actions",
            "run",
            name,
            "--dry-run",
            "-v",
            "--api-key-env",
            "LEAK_KEY",
        ],
        input=json.dumps(INPUTS[name]),
        capture_output=True,
        text=True,
        env=_environment(tmp_path, []),
        timeout=60,
    )
    document = json.loads(result.stdout)
    assert document["status"] == "dry_run"
    assert document["requests"][0]["headers"]["x-api-key"] == "[redacted]"
    _assert_no_leak(result.stdout + result.stderr)


def test_key_in_an_exception_is_redacted_from_the_envelope(monkeypatch: pytest.MonkeyPatch) -> None:
    pack = load_pack()
    action = pack.actions["list_workspaces"]

    def broken(params: dict[str, Any], client: Any) -> dict[str, Any]:
        raise RuntimeError(f"request failed with headers {{'X-Api-Key': '{KEY}'}}")

    monkeypatch.setitem(action.__dict__, "handler", broken)
    result = pack.run("list_workspaces", {}, api_key=KEY)
    assert result["error"]["type"] == "internal_error"
    _assert_no_leak(json.dumps(result))


def altered(key: str) -> list[str]:
    """The key as a careless or hostile server might echo it back."""
    middle = len(key) // 2
    return [
        key[:-1],
        key[1:],
        key.upper(),
        key.lower(),
        key.swapcase(),
        f"{key[:middle]} {key[middle:]}",
        f"{key[:9]}\n{key[9:]}",
        f"{key[:middle].lower()}-{key[middle:].upper()}",
        " ".join(key),  # spelt out, one space between each character
    ]


def eight_character_runs(key: str, text: str) -> list[str]:
    """The runs of eight characters of the key in `text`, whatever the case of its letters
    and whatever whitespace stands between them."""
    folded = "".join(text.lower().split())
    return [key[i : i + 8] for i in range(len(key) - 7) if key[i : i + 8].lower() in folded]


@pytest.mark.parametrize("echo", range(len(altered(KEY))))
def test_the_redactor_hides_every_run_of_eight_of_an_altered_key(echo: int) -> None:
    from clockify_actions.runtime.redact import Redactor

    redactor = Redactor([KEY])
    text = f"Api key {altered(KEY)[echo]} does not exist"
    for written in (
        redactor.text(text),
        json.dumps(redactor.data({"message": text, text: [text]})),
        redactor.dumps({"message": text}),
    ):
        assert eight_character_runs(KEY, written) == []
        assert "[redacted]" in written and "does not exist" in written


def test_the_redactor_looks_through_all_the_whitespace_python_knows() -> None:
    from clockify_actions.runtime.redact import WHITESPACE, Redactor

    assert set(WHITESPACE) == {chr(code) for code in range(0x110000) if chr(code).isspace()}
    spelt = "\u3000".join(KEY[:10]) + "\n\t" + " ".join(KEY[10:])
    assert eight_character_runs(KEY, Redactor([KEY]).text(f"key: {spelt}!")) == []


def test_the_redactor_leaves_text_without_the_key_alone() -> None:
    from clockify_actions.runtime.redact import Redactor

    redactor = Redactor([KEY])
    value = {"projects": [{"id": "6a2b3c4d5e6f7a8b9c0d1e2f", "name": "Zx9Q and w7Lk"}]}
    assert redactor.data(value) == value
    assert redactor.text("Zx9Qw7L is seven") == "Zx9Qw7L is seven"


def _echoing(connection: Any, head: bytes) -> None:
    """Answers every request with each altered form of the key it was sent."""
    sent = next(
        line.split(b":", 1)[1].strip().decode()
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"x-api-key:")
    )
    forms = altered(sent)
    if b"/workspaces " in head.split(b"\r\n")[0] or b"/workspaces?" in head.split(b"\r\n")[0]:
        body = json.dumps([{"id": f"w{i}", "name": form} for i, form in enumerate(forms)])
        status = "200 OK"
    else:
        body = json.dumps({"message": f"Api key {' / '.join(forms)} does not exist", "code": 4003})
        status = "401 Unauthorized"
    connection.sendall(
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nConnection: close\r\n"
        f"Content-Length: {len(body.encode())}\r\n\r\n{body}".encode()
    )


@pytest.mark.parametrize("name", ["list_workspaces", "get_current_user"])
def test_a_key_echoed_back_altered_never_reaches_stdout_or_stderr(name: str) -> None:
    from loopback import serving

    with serving(_echoing) as (url, heads):
        environment = {k: v for k, v in os.environ.items() if not k.startswith("CLOCKIFY_")}
        environment.update({"CLOCKIFY_API_KEY": KEY, "CLOCKIFY_BASE_URL": url + "/api/v1"})
        result = subprocess.run(
            [sys.executable, "-m", "clockify_actions", "run", name, "-v"],
            input="{}",
            capture_output=True,
            text=True,
            env=environment,
            timeout=60,
        )
    assert len(heads) == 1
    document = json.loads(result.stdout)
    assert document["status"] == ("success" if name == "list_workspaces" else "error")
    assert eight_character_runs(KEY, result.stdout + result.stderr) == []


def test_a_key_split_by_line_breaks_inside_a_value_is_hidden() -> None:
    """JSON writes a line break as `\\n`: the quick look drops those escapes as it drops
    whitespace, so a key echoed two characters a line is found and hidden."""
    from clockify_actions.runtime.redact import Redactor

    redactor = Redactor([KEY])
    for separator in ("\n", "\t", "\r\n", "\x1c", "\x0b"):
        spelt = separator.join(KEY[i : i + 2] for i in range(0, len(KEY), 2))
        value = {"items": [{"name": f"echo: {spelt}"}]}
        written = [json.dumps(redactor.data(value)), redactor.dumps(value)]
        for text in written:
            assert eight_character_runs(KEY, json.loads(text)["items"][0]["name"]) == []
            assert "[redacted]" in text


def test_a_few_characters_of_the_key_in_a_big_answer_are_not_a_run() -> None:
    """Four characters of the key (common in a long text) make the quick look read the
    runs it might hold, not rewrite the whole value: it is returned as it is."""
    from clockify_actions.runtime.redact import Redactor

    redactor = Redactor([KEY])
    value = {"items": [{"id": f"{i:024x}", "name": f"{KEY[:4]} {i}"} for i in range(2000)]}
    assert redactor.data(value) is value
    assert redactor.dumps(value) == json.dumps(value, ensure_ascii=False)
