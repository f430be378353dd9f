"""`clockify-actions serve`: ordered line-per-request answers that survive bad requests."""

from __future__ import annotations

import contextlib
import http.server
import io
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clockify_actions import Pack
from clockify_actions.adapters.worker import MAX_LINE_BYTES, request_lines, serve
from conftest import API_KEY, FAST
from fake_clockify import WS, FakeClockify


def _serve(pack: Pack, clockify: FakeClockify, *lines: bytes | str) -> list[dict[str, Any]]:
    out = io.StringIO()
    encoded = [line.encode() if isinstance(line, str) else line for line in lines]
    stdin = io.BytesIO(b"".join(line if line.endswith(b"\n") else line + b"\n" for line in encoded))
    code = serve(
        pack, stdin, out, {"transport": clockify.transport, "api_key": API_KEY, "settings": FAST}
    )
    assert code == 0
    return [json.loads(line) for line in out.getvalue().splitlines()]


def _envelopes(answers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    assert all(set(answer) == {"id", "envelope"} for answer in answers)
    return [answer["envelope"] for answer in answers]


def test_answers_come_back_in_order_with_their_ids(pack: Pack, clockify: FakeClockify) -> None:
    for name in ("A", "B", "C"):
        clockify.answer("GET", "/workspaces", body=[{"id": WS, "name": name}])
    answers = _serve(
        pack,
        clockify,
        *[
            json.dumps({"id": i, "action": "list_workspaces", "input": {}}) + "\n"
            for i in (7, "b", None)
        ],
    )
    assert [a["id"] for a in answers] == [7, "b", None]
    assert [e["workspaces"][0]["name"] for e in _envelopes(answers)] == ["A", "B", "C"]
    assert all(e["status"] == "success" for e in _envelopes(answers))


def test_a_result_with_its_own_id_keeps_the_request_id(pack: Pack, clockify: FakeClockify) -> None:
    clockify.answer("GET", "/user", body={"id": "5e5b8b0a95ae537fbde06e2e", "name": "Lewis"})
    (answer,) = _serve(pack, clockify, json.dumps({"id": "req-1", "action": "get_current_user"}))
    assert answer["id"] == "req-1"
    assert answer["envelope"]["id"] == "5e5b8b0a95ae537fbde06e2e"


def test_a_bad_line_is_answered_and_the_next_request_still_runs(
    pack: Pack, clockify: FakeClockify
) -> None:
    clockify.answer("GET", "/workspaces", body=[])
    answers = _serve(
        pack,
        clockify,
        b'{"id": 1, "action": "list_workspaces", "input": {}',  # truncated JSON
        b"\xff\xfe",
        b"[1, 2]",
        b'{"id": 4, "input": {}}',
        b'{"id": 5, "action": "list_projects", "input": {"workspace_id": "nope"}}',
        b'{"id": 6, "action": "list_workspaces", "input": {}, "connection": {"password": "x"}}',
        b'{"id": 7, "action": "list_workspaces"}',
    )
    assert [a["id"] for a in answers] == [None, None, None, 4, 5, 6, 7]
    envelopes = _envelopes(answers)
    assert [e["status"] for e in envelopes] == ["error"] * 6 + ["success"]
    assert {e["error"]["type"] for e in envelopes[:6]} == {"validation_error"}
    assert len(clockify.sent) == 1


def test_an_upstream_failure_does_not_affect_the_next_request(
    pack: Pack, clockify: FakeClockify
) -> None:
    clockify.answer("GET", "/workspaces", 401, {"message": "Api key does not exist", "code": 4003})
    clockify.answer("GET", "/workspaces", body=[{"id": WS, "name": "My Workspace"}])
    request = json.dumps({"id": 1, "action": "list_workspaces", "input": {}})
    first, second = _envelopes(_serve(pack, clockify, request, request))
    assert first["error"]["type"] == "auth_error"
    assert second["count"] == 1


def test_end_of_input_ends_cleanly_and_blank_lines_are_ignored(
    pack: Pack, clockify: FakeClockify
) -> None:
    assert _serve(pack, clockify) == []
    assert _serve(pack, clockify, b"\n", b"   \n") == []


def test_one_client_serves_every_request_of_a_connection(
    pack: Pack, clockify: FakeClockify
) -> None:
    for _ in range(3):
        clockify.answer("GET", "/workspaces", body=[])
    request = json.dumps({"id": 1, "action": "list_workspaces", "input": {}})
    from clockify_actions import runtime

    built: list[object] = []
    original = runtime.ClientOptions.client

    def counting(self: runtime.ClientOptions) -> Any:
        built.append(self)
        return original(self)

    runtime.ClientOptions.client = counting  # type: ignore[method-assign]
    try:
        _serve(pack, clockify, request, request, request)
    finally:
        runtime.ClientOptions.client = original  # type: ignore[method-assign]
    assert len(built) == 1
    assert len(clockify.sent) == 3


def test_a_request_connection_overrides_the_default(
    pack: Pack, clockify: FakeClockify, monkeypatch: Any
) -> None:
    monkeypatch.setenv("CLOCKIFY_OTHER_API_KEY", "other-key-value")
    clockify.answer("GET", "/workspaces", body=[])
    clockify.answer("GET", "/workspaces", body=[])
    _serve(
        pack,
        clockify,
        json.dumps(
            {
                "id": 1,
                "action": "list_workspaces",
                "connection": {"api_key_env": "CLOCKIFY_OTHER_API_KEY"},
            }
        ),
        json.dumps({"id": 2, "action": "list_workspaces"}),
    )
    assert [s.headers["x-api-key"] for s in clockify.sent] == ["other-key-value", API_KEY]


def test_lines_no_json_parser_should_accept_are_answered_and_the_worker_goes_on(
    pack: Pack, clockify: FakeClockify
) -> None:
    clockify.answer("GET", "/workspaces", body=[])
    answers = _serve(
        pack,
        clockify,
        b'{"id": "\\ud800", "action": "list_workspaces"}',
        b'{"id": NaN, "action": "list_workspaces"}',
        b'{"id": 1e999, "action": "list_workspaces"}',
        b'{"id": 4, "action": "list_workspaces", "input": ' + b"[" * 100_000 + b"}",
        b'{"id": 5, "action": "list_workspaces", "connection": {"api_key_env": "HOME"}}',
        b'{"id": 6, "action": "list_workspaces"}',
    )
    assert len(answers) == 6
    assert [a["envelope"]["status"] for a in answers] == ["error"] * 5 + ["success"]
    assert {a["envelope"]["error"]["type"] for a in answers[:5]} == {"validation_error"}
    assert answers[3]["id"] is None and answers[5]["id"] == 6
    assert "CLOCKIFY_" in answers[4]["envelope"]["error"]["message"]
    assert len(clockify.sent) == 1


class _Recorder(http.server.BaseHTTPRequestHandler):
    """A loopback Clockify that records every request that reaches it."""

    def do_GET(self) -> None:
        self.server.seen.append((self.path, self.headers.get("X-Api-Key")))  # type: ignore[attr-defined]
        body = b"[]"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def _loopback_clockify() -> Iterator[tuple[str, list[tuple[str, str | None]]]]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    seen: list[tuple[str, str | None]] = []
    server.seen = seen  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v1", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_request_line_cannot_send_a_key_to_a_host_the_worker_was_not_started_with(
    pack: Pack, monkeypatch: Any
) -> None:
    monkeypatch.setenv("CLOCKIFY_OTHER_API_KEY", "other-key-Lm3nB7vC")
    monkeypatch.setenv("CLOCKIFY_SANDBOX_DB", "/tmp/not-a-key.sqlite")
    with _loopback_clockify() as (own, own_seen), _loopback_clockify() as (other, other_seen):
        other_port = other.split(":")[2].split("/")[0]
        lines = [
            {"id": 1, "action": "list_workspaces"},
            {"id": 2, "action": "list_workspaces", "connection": {"base_url": other}},
            {
                "id": 3,
                "action": "list_workspaces",
                "connection": {
                    "base_url": f"http://localhost:{other_port}/api/v1",
                    "api_key_env": "CLOCKIFY_OTHER_API_KEY",
                },
            },
            {"id": 4, "action": "list_workspaces", "connection": {"base_url": other + "/"}},
            {"id": 5, "action": "list_workspaces", "connection": {"base_url": own + "/"}},
            {
                "id": 6,
                "action": "list_workspaces",
                "connection": {"api_key_env": "CLOCKIFY_SANDBOX_DB"},
            },
            {"id": 7, "action": "list_workspaces", "connection": {"api_key_env": ["X"]}},
            {"id": 8, "action": "list_workspaces", "connection": {"base_url": 8080}},
            {"id": 9, "action": "list_workspaces", "connection": False},
        ]
        out = io.StringIO()
        serve(
            pack,
            io.BytesIO(b"".join(json.dumps(line).encode() + b"\n" for line in lines)),
            out,
            {"api_key": API_KEY, "base_url": own, "settings": FAST},
        )
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [a["id"] for a in answers] == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    statuses = [a["envelope"]["status"] for a in answers]
    assert statuses == ["success"] + ["error"] * 3 + ["success"] + ["error"] * 4
    refused = [a["envelope"]["error"] for a in answers if a["envelope"]["status"] == "error"]
    assert {error["type"] for error in refused} == {"validation_error"}
    assert other_seen == []
    assert own_seen == [("/api/v1/workspaces", API_KEY)] * 2
    assert "CLOCKIFY_" in refused[3]["message"] and "API_KEY" in refused[3]["message"]


def test_a_request_line_may_choose_any_of_clockifys_own_hosts(
    pack: Pack, clockify: FakeClockify
) -> None:
    for _ in range(3):
        clockify.answer("GET", "/workspaces", body=[])
    answers = _serve(
        pack,
        clockify,
        json.dumps({"id": 1, "action": "list_workspaces", "connection": {"region": "euc1"}}),
        json.dumps(
            {
                "id": 2,
                "action": "list_workspaces",
                "connection": {"base_url": "https://apse2.clockify.me/api/v1"},
            }
        ),
        json.dumps({"id": 3, "action": "list_workspaces", "connection": {"region": "mars"}}),
        json.dumps({"id": 4, "action": "list_workspaces"}),
    )
    statuses = [a["envelope"]["status"] for a in answers]
    assert statuses == ["success", "success", "error", "success"]
    assert answers[2]["envelope"]["error"]["type"] == "validation_error"
    assert [s.headers["host"] for s in clockify.sent] == [
        "euc1.clockify.me",
        "apse2.clockify.me",
        "api.clockify.me",
    ]


def test_a_request_region_wins_over_the_workers_base_url(
    pack: Pack, clockify: FakeClockify
) -> None:
    clockify.answer("GET", "/workspaces", body=[])
    out = io.StringIO()
    line = {"id": 1, "action": "list_workspaces", "connection": {"region": "euw2"}}
    serve(
        pack,
        io.BytesIO(json.dumps(line).encode() + b"\n"),
        out,
        {
            "transport": clockify.transport,
            "api_key": API_KEY,
            "base_url": "http://127.0.0.1:9/api/v1",
            "settings": FAST,
        },
    )
    assert json.loads(out.getvalue())["envelope"]["status"] == "success"
    assert clockify.only.headers["host"] == "euw2.clockify.me"


@pytest.mark.parametrize(
    "line",
    [
        b'{"id":7.5,"action":',
        b'{"input": {"id": 3}, "action": "list_workspaces"',
        b'{"id": 4, "action": "list_workspaces", "input": ' + b"[" * 100_000 + b"}",
        b'[{"id": 3, "action": "list_workspaces"}]',
        b'{"action": "list_workspaces", "input": {"id": 3}, "connection": 1}',
    ],
)
def test_the_answer_to_a_malformed_line_carries_only_a_top_level_id_of_a_parsed_line(
    pack: Pack, clockify: FakeClockify, line: bytes
) -> None:
    (answer,) = _serve(pack, clockify, line)
    assert answer["envelope"]["error"]["type"] == "validation_error"
    assert answer["id"] is None
    assert clockify.sent == []


def test_an_overlong_line_is_answered_and_the_next_line_is_served(
    pack: Pack, clockify: FakeClockify
) -> None:
    clockify.answer("GET", "/workspaces", body=[])
    clockify.answer("GET", "/workspaces", body=[])

    def line_of(size: int, request_id: int) -> bytes:
        start = b'{"id": %d, "action": "list_workspaces", "pad": "' % request_id
        return start + b"x" * (size - len(start) - 2) + b'"}\n'

    answers = _serve(
        pack,
        clockify,
        line_of(MAX_LINE_BYTES + 1, 1),
        line_of(MAX_LINE_BYTES, 2),
        b" " * (MAX_LINE_BYTES + 5) + b"\n",
        b'{"id": 4, "action": "list_workspaces"}\n',
    )
    assert [a["id"] for a in answers] == [None, 2, None, 4]
    assert "larger than" in answers[0]["envelope"]["error"]["message"]
    assert "larger than" in answers[2]["envelope"]["error"]["message"]
    assert [a["envelope"]["status"] for a in answers] == ["error", "success", "error", "success"]


def test_lines_are_read_at_most_one_cap_at_a_time() -> None:
    class Endless(io.RawIOBase):
        """50 MB of one line without a newline, then a short line."""

        def __init__(self) -> None:
            self.left = 50 * 1024 * 1024
            self.tail = io.BytesIO(b"\n{}\n")

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            if self.left == 0:
                return self.tail.readinto(buffer)
            size = min(len(buffer), self.left)
            buffer[:size] = b"x" * size
            self.left -= size
            return size

    lines = list(request_lines(io.BufferedReader(Endless())))
    assert [len(line) for line in lines] == [MAX_LINE_BYTES + 1, 2]
    assert lines[1] == b"{}"


def test_a_worker_fed_a_50_mb_line_stays_small() -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLOCKIFY_")}
    worker = subprocess.Popen(
        [sys.executable, "-m", "clockify_actions", "serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**environment, "CLOCKIFY_API_KEY": API_KEY},
    )
    assert worker.stdin is not None and worker.stdout is not None
    probe = b'{"id": "probe", "action": "no_such_action"}\n'

    def peak_kib() -> int:
        status = Path(f"/proc/{worker.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))  # type: ignore[union-attr]

    try:
        worker.stdin.write(probe)
        worker.stdin.flush()
        assert json.loads(worker.stdout.readline())["id"] == "probe"
        before = peak_kib()
        for _ in range(50):
            worker.stdin.write(b"x" * (1024 * 1024))
        worker.stdin.write(b"\n" + probe)
        worker.stdin.flush()
        overlong = json.loads(worker.stdout.readline())
        after_probe = json.loads(worker.stdout.readline())
        after = peak_kib()
    finally:
        worker.stdin.close()
        worker.wait(timeout=60)
    assert overlong["id"] is None and "larger than" in overlong["envelope"]["error"]["message"]
    assert after_probe["id"] == "probe"
    assert after - before < 16 * 1024, f"peak memory grew by {after - before} KiB"


def test_the_workers_own_base_url_may_come_from_its_environment(
    pack: Pack, clockify: FakeClockify, monkeypatch: Any
) -> None:
    monkeypatch.setenv("CLOCKIFY_BASE_URL", "http://127.0.0.1:9/api/v1")
    clockify.answer("GET", "/workspaces", body=[])
    answers = _serve(
        pack,
        clockify,
        json.dumps(
            {
                "id": 1,
                "action": "list_workspaces",
                "connection": {"base_url": "http://127.0.0.1:9/api/v1"},
            }
        ),
        json.dumps(
            {
                "id": 2,
                "action": "list_workspaces",
                "connection": {"base_url": "http://127.0.0.1:10/api/v1"},
            }
        ),
    )
    assert [a["envelope"]["status"] for a in answers] == ["success", "error"]
    assert clockify.only.headers["host"] == "127.0.0.1:9"
