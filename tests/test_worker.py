"""`clockify-actions serve`: ordered line-per-request answers that survive bad requests."""

from __future__ import annotations

import io
import json
from typing import Any

from clockify_actions import Pack
from clockify_actions.worker import serve
from conftest import API_KEY, FAST
from fake_clockify import WS, FakeClockify


def _serve(pack: Pack, clockify: FakeClockify, *lines: bytes | str) -> list[dict[str, Any]]:
    out = io.StringIO()
    encoded = [line.encode() if isinstance(line, str) else line for line in lines]
    code = serve(
        pack, encoded, out, {"transport": clockify.transport, "api_key": API_KEY, "settings": FAST}
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
    assert [a["id"] for a in answers] == [1, None, None, 4, 5, 6, 7]
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
    monkeypatch.setenv("CLOCKIFY_OTHER_KEY", "other-key-value")
    clockify.answer("GET", "/workspaces", body=[])
    clockify.answer("GET", "/workspaces", body=[])
    _serve(
        pack,
        clockify,
        json.dumps(
            {
                "id": 1,
                "action": "list_workspaces",
                "connection": {"api_key_env": "CLOCKIFY_OTHER_KEY"},
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
    assert answers[3]["id"] == 4 and answers[5]["id"] == 6
    assert "CLOCKIFY_" in answers[4]["envelope"]["error"]["message"]
    assert len(clockify.sent) == 1
