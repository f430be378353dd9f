"""`clockify-actions serve --http`: the worker over HTTP, on loopback, behind a bearer
token, with status codes from one table, bounded bodies and the key kept to itself."""

from __future__ import annotations

import json
import os
import shlex
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from clockify_actions import Pack
from clockify_actions.adapters.http import STATUS_FOR_ERROR
from clockify_actions.sandbox import DEMO_API_KEY, DEMO_WORKSPACE_ID, Sandbox

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.xdist_group("http_worker")


@dataclass
class Worker:
    url: str
    token: str
    db: Path

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        data = None if body is None else json.dumps(body).encode()
        sent = {"Authorization": f"Bearer {self.token if token is None else token}"}
        request = urllib.request.Request(
            self.url + path, data=data, method=method, headers={**sent, **(headers or {})}
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, raw, answered = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, raw, answered = error.code, error.read(), error.headers
        return status, json.loads(raw), {k.lower(): v for k, v in answered.items()}

    def requests_to_clockify(self) -> int:
        with Sandbox.open(self.db) as sandbox:
            return len(sandbox.request_log())


def _start(*arguments: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], dict[str, Any]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "clockify_actions", "serve", "--http", "--port", "0", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line, process.communicate(timeout=30)
    return process, json.loads(line)


def _read_answer(connection: socket.socket) -> bytes:
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += connection.recv(65536)
    head, _, body = answer.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length")
    )
    while len(body) < length:
        body += connection.recv(65536)
    return head + b"\r\n\r\n" + body


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.communicate(timeout=30)


@pytest.fixture(scope="module")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worker]:
    folder = tmp_path_factory.mktemp("http")
    key_file = folder / "key"
    key_file.write_text(DEMO_API_KEY + "\n")
    env = {**os.environ, "CLOCKIFY_SANDBOX_DB": str(folder / "sandbox.sqlite3")}
    env.pop("CLOCKIFY_API_KEY", None)
    process, banner = _start("--sandbox", "--api-key-file", str(key_file), env=env)
    try:
        yield Worker(banner["url"], banner["token"], folder / "sandbox.sqlite3")
    finally:
        _stop(process)


def test_it_listens_on_loopback_and_answers_an_action(worker: Worker) -> None:
    assert worker.url.startswith("http://127.0.0.1:")
    status, envelope, headers = worker.request(
        "POST", "/actions/get_workspace", {"workspace_id": DEMO_WORKSPACE_ID}
    )
    assert (status, envelope["status"], envelope["id"]) == (200, "success", DEMO_WORKSPACE_ID)
    assert headers["content-type"] == "application/json"


@pytest.mark.parametrize("token", ["", "not-the-token"])
def test_a_request_without_the_token_is_refused(worker: Worker, token: str) -> None:
    before = worker.requests_to_clockify()
    status, envelope, headers = worker.request(
        "POST", "/actions/create_tag", {"workspace_id": DEMO_WORKSPACE_ID, "name": "x"}, token=token
    )
    assert (status, envelope["error"]["type"]) == (401, "auth_error")
    assert headers["www-authenticate"].startswith("Bearer")
    assert worker.requests_to_clockify() == before
    status, envelope, _ = worker.request("GET", "/actions", token=token)
    assert status == 401


def test_no_request_can_set_the_key(worker: Worker) -> None:
    for body in (
        {"workspace_id": DEMO_WORKSPACE_ID, "api_key": "someone-elses-key"},
        {"workspace_id": DEMO_WORKSPACE_ID, "connection": {"api_key": "someone-elses-key"}},
    ):
        status, envelope, _ = worker.request("POST", "/actions/get_workspace", body)
        assert (status, envelope["error"]["type"]) == (422, "validation_error")
    # A key in a header or the query is not read: the worker's own key is used.
    status, envelope, _ = worker.request(
        "POST",
        "/actions/get_workspace?api_key=wrong",
        {"workspace_id": DEMO_WORKSPACE_ID},
        headers={"X-Api-Key": "wrong"},
    )
    assert (status, envelope["status"]) == (200, "success")


def test_no_answer_carries_the_key(worker: Worker) -> None:
    answers = [
        worker.request("GET", "/actions"),
        worker.request("GET", "/actions/get_current_user"),
        worker.request("POST", "/actions/get_current_user", {}),
        worker.request("POST", "/actions/get_workspace", {"workspace_id": "nope"}),
        worker.request("POST", "/actions/list_projects", {"workspace_id": "0" * 24}),
    ]
    for status, envelope, _ in answers:
        assert DEMO_API_KEY not in json.dumps(envelope), (status, envelope)


def test_a_100_mb_body_is_refused_without_being_read(worker: Worker) -> None:
    host, port = worker.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=60) as connection:
        connection.sendall(
            b"POST /actions/create_tag HTTP/1.1\r\nHost: localhost\r\n"
            + f"Authorization: Bearer {worker.token}\r\n".encode()
            + b"Content-Type: application/json\r\nContent-Length: 104857600\r\n\r\n"
        )
        # Not a byte of the body is sent: the answer comes all the same.
        answer = _read_answer(connection)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413"), head
    envelope = json.loads(body)
    assert envelope["error"]["type"] == "validation_error"
    assert {"attempts": 0, "outcome": "not_applied"} in envelope["error"]["details"]


def test_status_codes_follow_the_table(worker: Worker) -> None:
    cases = [
        ("/actions/get_workspace", {"workspace_id": "nope"}, 422, "validation_error"),
        ("/actions/get_workspace", {"workspace_id": "0" * 24}, 403, "permission_error"),
        ("/actions/no_such_action", {}, 404, "not_found"),
    ]
    for path, body, status, kind in cases:
        answered, envelope, _ = worker.request("POST", path, body)
        assert (answered, envelope["error"]["type"]) == (status, kind), envelope
        assert STATUS_FOR_ERROR.get(kind, status) == status
    answered, envelope, _ = worker.request("GET", "/actions/get_workspace", None)
    assert answered == 200
    status, envelope, _ = worker.request("DELETE", "/actions/get_workspace")
    assert status == 405


def test_describe_routes_answer_the_packs_metadata(worker: Worker, pack: Pack) -> None:
    status, listing, _ = worker.request("GET", "/actions")
    assert status == 200
    assert [a["name"] for a in listing["actions"]] == list(pack.actions)
    assert [t["name"] for t in listing["triggers"]] == list(pack.triggers)
    assert listing["connection"] == pack.connection_schema
    status, described, _ = worker.request("GET", "/actions/list_projects")
    assert (status, described) == (200, pack.describe("list_projects"))
    status, described, _ = worker.request("GET", "/triggers/new_project")
    assert (status, described) == (200, pack.describe("new_project"))


def test_a_trigger_polls_with_the_state_it_returned(worker: Worker) -> None:
    params = {"workspace_id": DEMO_WORKSPACE_ID}
    status, first, _ = worker.request("POST", "/triggers/new_project", {"params": params})
    assert (status, first["status"]) == (200, "success"), first
    created, _, _ = worker.request(
        "POST", "/actions/create_project", {**params, "name": "Over HTTP"}
    )
    assert created == 200
    status, second, _ = worker.request(
        "POST", "/triggers/new_project", {"params": params, "state": first["state"]}
    )
    assert status == 200
    assert [event["name"] for event in second["events"]] == ["Over HTTP"]
    status, refused, _ = worker.request("POST", "/triggers/new_project", {"workspace": 1})
    assert (status, refused["error"]["type"]) == (422, "validation_error")


def test_a_token_file_is_used_and_not_printed(tmp_path: Path) -> None:
    token = "a-token-of-the-platforms-own-0123456789"
    (tmp_path / "token").write_text(token + "\n")
    env = {**os.environ, "CLOCKIFY_SANDBOX_DB": str(tmp_path / "sandbox.sqlite3")}
    process, banner = _start("--sandbox", "--token-file", str(tmp_path / "token"), env=env)
    try:
        assert "token" not in banner
        served = Worker(banner["url"], token, tmp_path / "sandbox.sqlite3")
        status, envelope, _ = served.request("POST", "/actions/list_workspaces", {})
        assert (status, envelope["status"]) == (200, "success")
    finally:
        _stop(process)


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["--host", "0.0.0.0"], "--allow-remote"),
        (["--host", "0.0.0.0", "--allow-remote"], "--behind-proxy"),
        (["--tls-cert", "cert.pem"], "go together"),
    ],
)
def test_listening_beyond_loopback_must_be_asked_for_with_tls(
    arguments: list[str], says: str
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "clockify_actions", "serve", "--http", "--port", "0", *arguments],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert says in json.loads(done.stdout)["error"]["message"]


@pytest.mark.slow
def test_every_fixture_passes_through_the_http_worker(tmp_path: Path, pack: Pack) -> None:
    """Every fixture, through a bridge that POSTs each request to `serve --http` as a
    platform's HTTP node would, against the replayed Clockify; each status code is the
    table's for the envelope's type."""
    log = tmp_path / "statuses"
    bridge = f"{shlex.quote(sys.executable)} {shlex.quote(str(DATA / 'http_bridge.py'))}"
    done = subprocess.run(
        [sys.executable, "-m", "clockify_actions", "fixtures", "verify", "--runner", bridge],
        capture_output=True,
        timeout=900,
        env={**os.environ, "HTTP_BRIDGE_STATUS_LOG": str(log)},
    )
    result = json.loads(done.stdout)
    assert (done.returncode, result["status"], result["failed"]) == (0, "success", 0), result
    lines = [line.split() for line in log.read_text().splitlines()]
    assert len(lines) == result["passed"]
    for case, status, kind in lines:
        expected = 200 if kind in ("success", "dry_run") else STATUS_FOR_ERROR[kind]
        assert int(status) == expected, (case, status, kind)
    succeeded = {case.split("/")[0] for case, status, _ in lines if status == "200"}
    assert succeeded == set(pack.actions)  # every action's success fixtures went through


def test_other_commands_do_not_import_the_http_server(tmp_path: Path) -> None:
    code = (
        "import json, sys\n"
        "from clockify_actions.adapters.cli import main\n"
        "assert main(['run', 'list_workspaces', '--sandbox']) == 0\n"
        "print(json.dumps([m for m in ('uvicorn', 'clockify_actions.adapters.http')"
        " if m in sys.modules]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        input="{}",
        capture_output=True,
        text=True,
        env={"CLOCKIFY_SANDBOX_DB": str(tmp_path / "sandbox.sqlite3"), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []
