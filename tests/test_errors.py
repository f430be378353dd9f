"""Clockify's failures, mapped to the one error envelope for every action."""

from __future__ import annotations

from typing import Any

import pytest

from clockify_actions import Pack, load_pack
from conftest import Run
from fake_clockify import WS, FakeClockify

ACTIONS = list(load_pack().actions)
READS = [name for name, action in load_pack().actions.items() if action.hints["read_only"]]
WRITES = [name for name in ACTIONS if name not in READS]
# Writes that may not be sent twice: an idempotent one (PUT, DELETE) is retried like a read.
ONCE_ONLY_WRITES = [name for name in WRITES if not load_pack().actions[name].hints["idempotent"]]
# Writes whose first request is the write itself (no read before it), so that every answer
# the fake gives is the write's; and of those, the ones answered with the record written.
FIRST_WRITES = [
    name for name in WRITES if not load_pack().actions[name].clockify[0].startswith("GET ")
]
RECORD_WRITES = [
    name for name in FIRST_WRITES if not load_pack().actions[name].clockify[0].startswith("DELETE ")
]


def example_input(pack: Pack, name: str) -> dict[str, Any]:
    return dict(pack.actions[name].examples[0]["input"])


ENVELOPE_KEYS = {"type", "message", "retryable", "http_status", "clockify_code", "details"}


def request_record(name: str, attempts: int, outcome: str) -> dict[str, Any]:
    """The details entry of a failed request: a write also says what became of it."""
    return {"attempts": attempts, "outcome": outcome} if name in WRITES else {"attempts": attempts}


# Clockify's 4xx answers and the error type each maps to (also served to MCP clients by
# tests/test_mcp_hosts.py): status, body, type.
CLOCKIFY_4XX = [
    (401, {"message": "Api key does not exist", "code": 4003}, "auth_error"),
    (401, {"message": "Multiple or none auth tokens present", "code": 1000}, "auth_error"),
    (403, {"message": "Access Denied", "code": 1}, "permission_error"),
    (400, {"message": "Project doesn't belong to Workspace", "code": 501}, "not_found"),
    (400, {"message": "Proyecto no pertenece a Espacio de trabajo", "code": 501}, "not_found"),
    (400, {"message": "Project with this name already exists", "code": 501}, "conflict"),
    (
        400,
        {"message": "Time entry cannot have duration more than 999 hours.", "code": 501},
        "rejected",
    ),
    (404, {"message": "No static resource v1/x.", "code": 3000}, "not_found"),
]
CLOCKIFY_4XX_IDS = [
    "bad-key",
    "no-key",
    "forbidden",
    "doesnt-belong",
    "doesnt-belong-es",
    "duplicate",
    "refused",
    "no-route",
]


@pytest.mark.parametrize("name", ACTIONS)
@pytest.mark.parametrize(("status", "body", "expected"), CLOCKIFY_4XX, ids=CLOCKIFY_4XX_IDS)
def test_clockify_4xx_maps_to_error_type(
    pack: Pack,
    run: Run,
    clockify: FakeClockify,
    name: str,
    status: int,
    body: dict[str, Any],
    expected: str,
) -> None:
    clockify.answer_everything(status, body)
    result = run(name, example_input(pack, name))
    assert result["status"] == "error"
    error = result["error"]
    assert set(error) == ENVELOPE_KEYS
    assert error["type"] == expected
    assert (error["http_status"], error["clockify_code"]) == (status, body["code"])
    assert error["retryable"] is False
    assert error["details"] == [request_record(name, 1, "not_applied")]
    assert len(clockify.sent) == 1, "a 4xx is never retried"


@pytest.mark.parametrize("name", ACTIONS)
def test_rate_limit_that_persists_is_rate_limited_and_retryable(
    pack: Pack, run: Run, clockify: FakeClockify, name: str
) -> None:
    clockify.answer_everything(429, content=b"")
    error = run(name, example_input(pack, name))["error"]
    assert error["type"] == "rate_limited"
    assert error["retryable"] is True
    assert "rate limit" in error["message"].lower()
    assert error["details"] == [request_record(name, 4, "not_applied")]
    assert len(clockify.sent) == 4


@pytest.mark.parametrize("name", READS)
def test_read_retries_5xx_then_reports_upstream_error_with_attempts(
    pack: Pack, run: Run, clockify: FakeClockify, name: str
) -> None:
    clockify.answer_everything(502, content=b"<html><body>Bad Gateway</body></html>")
    error = run(name, example_input(pack, name))["error"]
    assert error["type"] == "upstream_error"
    assert error["http_status"] == 502
    assert error["retryable"] is True
    assert {"attempts": 4} in error["details"]


@pytest.mark.parametrize("name", ONCE_ONLY_WRITES)
def test_write_meeting_5xx_is_not_resent_and_says_outcome_unknown(
    pack: Pack, run: Run, clockify: FakeClockify, name: str
) -> None:
    clockify.answer_everything(500, {"message": "Internal Server Error", "code": 500})
    error = run(name, example_input(pack, name))["error"]
    assert error["type"] == "upstream_error"
    assert {"attempts": 1, "outcome": "unknown"} in error["details"]
    assert error["retryable"] is False
    assert len(clockify.sent) == 1


def test_non_json_success_body_on_a_read_is_retried_then_upstream_error(
    run: Run, clockify: FakeClockify
) -> None:
    clockify.answer_everything(200, content=b"<html>maintenance</html>")
    error = run("list_workspaces", {})["error"]
    assert error["type"] == "upstream_error"
    assert "not valid JSON" in error["message"]
    assert {"attempts": 4} in error["details"]


def test_answer_missing_an_id_is_a_contract_error_not_a_success(
    run: Run, clockify: FakeClockify
) -> None:
    clockify.answer("GET", "/workspaces", body=[{"name": "No id"}])
    error = run("list_workspaces", {})["error"]
    assert error["type"] == "contract_error"
    assert error["details"][0]["path"] == "/0/id"


def test_output_breaking_response_schema_is_contract_error(
    run: Run, clockify: FakeClockify
) -> None:
    # A start time that is not a UTC second would break the response schema's timestamp.
    from fake_clockify import time_entry

    clockify.answer(
        "POST", f"/workspaces/{WS}/time-entries", 201, time_entry("yesterday", None, None)
    )
    error = run("start_timer", {"workspace_id": WS})["error"]
    assert error["type"] == "contract_error"
    assert any(d["path"] == "/start" for d in error["details"])


def test_missing_api_key_is_config_error_naming_the_variable(
    pack: Pack, clockify: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLOCKIFY_API_KEY", raising=False)
    error = pack.run("list_workspaces", {}, transport=clockify.transport)["error"]
    assert error["type"] == "config_error"
    assert "CLOCKIFY_API_KEY" in error["message"]
    assert clockify.sent == []


def test_api_key_is_read_from_environment(
    pack: Pack, clockify: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLOCKIFY_API_KEY", "from-the-environment")
    clockify.answer("GET", "/workspaces", body=[])
    assert pack.run("list_workspaces", {}, transport=clockify.transport)["status"] == "success"
    assert clockify.only.headers["x-api-key"] == "from-the-environment"


@pytest.mark.parametrize(
    ("region", "host"),
    [(None, "api.clockify.me"), ("euc1", "euc1.clockify.me"), ("apse2", "apse2.clockify.me")],
)
def test_region_selects_host(pack: Pack, region: str | None, host: str) -> None:
    seen: list[str] = []
    import httpx

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json=[])

    pack.run(
        "list_workspaces",
        {},
        api_key="k" * 10,
        region=region,
        transport=httpx.MockTransport(handle),
    )
    assert seen == [f"https://{host}/api/v1/workspaces"]


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"region": "mars"}, "region"),
        ({"base_url": "http://clockify.example.com/api/v1"}, "https"),
        ({"base_url": "ftp://x"}, "base_url"),
    ],
)
def test_bad_connection_settings_are_config_errors(
    pack: Pack, clockify: FakeClockify, options: dict[str, str], fragment: str
) -> None:
    error = pack.run(
        "list_workspaces", {}, api_key="k" * 10, transport=clockify.transport, **options
    )["error"]
    assert error["type"] == "config_error"
    assert fragment in error["message"]
    assert clockify.sent == []


@pytest.mark.parametrize(
    ("name", "path", "body"),
    [
        ("list_workspaces", "/workspaces", {"id": WS, "name": "an object, not a list"}),
        ("get_current_user", "/user", [{"id": WS}]),
        ("list_projects", f"/workspaces/{WS}/projects", [{"id": WS, "name": 5}]),
    ],
)
def test_answer_of_the_wrong_shape_is_a_contract_error(
    pack: Pack, run: Run, clockify: FakeClockify, name: str, path: str, body: Any
) -> None:
    clockify.answer("GET", path, body=body, headers={"Last-Page": "true"})
    error = run(name, example_input(pack, name))["error"]
    assert error["type"] == "contract_error"
    assert error["details"], "each mismatch is listed"


def test_redirect_to_another_host_is_not_followed(run: Run, clockify: FakeClockify) -> None:
    clockify.answer(
        "GET",
        "/workspaces",
        302,
        content=b"",
        headers={"Location": "https://elsewhere.example/steal"},
    )
    error = run("list_workspaces", {})["error"]
    assert error["type"] == "upstream_error"
    assert [s.path for s in clockify.sent] == ["/api/v1/workspaces"]


def test_auth_error_message_reads_as_sentences(run: Run, clockify: FakeClockify) -> None:
    clockify.answer("GET", "/user", 401, {"message": "Api key does not exist", "code": 4003})
    message = run("get_current_user", {})["error"]["message"]
    assert message.startswith("Api key does not exist. Check the API key (CLOCKIFY_API_KEY)")


@pytest.mark.parametrize("api_key", [b"bytes-key-123456", 12345678, ["list-key-Q8w2Lk9z"], ""])
def test_an_api_key_that_is_not_a_string_is_a_config_error_never_echoed(
    pack: Pack, clockify: FakeClockify, api_key: Any
) -> None:
    result = pack.run("list_workspaces", {}, api_key=api_key, transport=clockify.transport)
    assert result["error"]["type"] == "config_error"
    assert "Q8w2Lk9z" not in str(result)
    assert clockify.sent == []


@pytest.mark.parametrize("api_key", ["key-with-newline\r\n", "key with space", "clé-non-ascii"])
def test_an_api_key_no_header_can_carry_is_a_config_error(
    pack: Pack, clockify: FakeClockify, api_key: str
) -> None:
    result = pack.run("list_workspaces", {}, api_key=api_key, transport=clockify.transport)
    assert result["error"]["type"] == "config_error"
    assert "header" in result["error"]["message"]
    assert clockify.sent == []


@pytest.mark.parametrize(
    ("base_url", "accepted"),
    [
        ("http://127.0.0.1:8080/api/v1", True),
        ("http://127.9.9.9/api/v1", True),
        ("http://[::1]:8080/api/v1", True),
        ("http://localhost:8080/api/v1", True),
        ("http://sandbox.localhost/api/v1", True),
        ("http://127.evil.example.com/api/v1", False),
        ("http://localhost.evil.example.com/api/v1", False),
        ("http://10.0.0.1/api/v1", False),
    ],
)
def test_plain_http_only_on_this_machine(pack: Pack, base_url: str, accepted: bool) -> None:
    result = pack.run("list_workspaces", {}, api_key="k" * 10, base_url=base_url, dry_run=True)
    assert (result["status"] == "dry_run") is accepted


def test_no_attempt_may_wait_longer_than_what_is_left_of_the_deadline(pack: Pack) -> None:
    import httpx

    from clockify_actions.clockify import ClientSettings, RetrySettings

    timeouts: list[float] = []

    def handle(request: httpx.Request) -> httpx.Response:
        timeouts.append(request.extensions["timeout"]["read"])
        return httpx.Response(200, json=[])

    settings = ClientSettings(read_timeout=30.0, retry=RetrySettings(deadline=2.0))
    pack.run(
        "list_workspaces",
        {},
        api_key="k" * 10,
        transport=httpx.MockTransport(handle),
        settings=settings,
    )
    assert len(timeouts) == 1 and 0 < timeouts[0] <= 2.0


@pytest.mark.parametrize(
    "content",
    [b"", b"{}", b"[" * 100_000 + b"]" * 100_000, b'{"id": 7}', b"[]", b"<html>ok</html>"],
    ids=["empty", "empty-object", "nested-100000-deep", "wrong-types", "wrong-shape", "html"],
)
@pytest.mark.parametrize("name", RECORD_WRITES)
def test_a_write_whose_success_cannot_be_read_is_a_contract_error_applied(
    pack: Pack, run: Run, clockify: FakeClockify, name: str, content: bytes
) -> None:
    clockify.answer_everything(201, content=content)
    error = run(name, example_input(pack, name))["error"]
    assert error["type"] == "contract_error"
    assert error["details"][-1] == {"attempts": 1, "outcome": "applied"}
    assert "do not send it again" in error["message"]
    assert error["retryable"] is False
    assert len(clockify.sent) == 1, "an applied write is never sent again"


@pytest.mark.parametrize(
    ("status", "body", "outcome"),
    [
        (400, {"message": "Project with this name already exists", "code": 501}, "not_applied"),
        (401, {"message": "Api key does not exist", "code": 4003}, "not_applied"),
        (429, {"message": "Too many requests", "code": 429}, "not_applied"),
        (500, {"message": "Internal Server Error", "code": 500}, "unknown"),
        (302, {"message": "Moved"}, "unknown"),
    ],
)
@pytest.mark.parametrize("name", FIRST_WRITES)
def test_every_write_failure_says_what_became_of_the_write(
    pack: Pack,
    run: Run,
    clockify: FakeClockify,
    name: str,
    status: int,
    body: dict[str, Any],
    outcome: str,
) -> None:
    clockify.answer_everything(status, body)
    error = run(name, example_input(pack, name))["error"]
    assert [d["outcome"] for d in error["details"] if "outcome" in d] == [outcome]


def test_a_huge_clockify_message_is_cut_in_the_envelope(run: Run, clockify: FakeClockify) -> None:
    clockify.answer_everything(400, {"message": "x" * 20_000_000, "code": 501})
    error = run("list_workspaces", {})["error"]
    assert error["type"] == "rejected"
    assert 1000 <= len(error["message"]) <= 1100
    assert error["message"].startswith("x" * 1000)


@pytest.mark.parametrize(("status", "outcome"), [(201, "applied"), (400, "not_applied")])
def test_a_write_whose_answer_is_too_large_to_read_still_says_its_outcome(
    pack: Pack, clockify: FakeClockify, status: int, outcome: str
) -> None:
    from clockify_actions.clockify import ClientSettings

    clockify.answer_everything(status, content=b'{"message": "' + b"x" * 5000 + b'"}')
    settings = ClientSettings(requests_per_second=None, max_response_bytes=1000)
    result = pack.run(
        "create_project",
        example_input(pack, "create_project"),
        api_key="k" * 10,
        transport=clockify.transport,
        settings=settings,
    )
    assert result["error"]["details"] == [{"attempts": 1, "outcome": outcome}]
    assert len(clockify.sent) == 1


def test_a_write_whose_result_breaks_the_response_schema_says_it_was_applied(
    run: Run, clockify: FakeClockify
) -> None:
    from fake_clockify import time_entry

    clockify.answer_everything(201, time_entry("not a timestamp", None, None))
    error = run("start_timer", {"workspace_id": WS})["error"]
    assert error["type"] == "contract_error"
    assert error["details"][-1] == {"attempts": 1, "outcome": "applied"}
    assert "applied" in error["message"]
    assert len(clockify.sent) == 1
