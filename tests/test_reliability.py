"""Failures Clockify and networks really produce, met through the sandbox's fault injection:
reads recover, writes are never made twice, and every outcome is the right envelope."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clockify_actions import Pack
from clockify_actions.clockify import ClientSettings
from clockify_actions.clockify.retry import Pacer
from clockify_actions.sandbox import (
    DEMO_API_KEY,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    SAMPLE_PROJECT_ID,
    Sandbox,
)
from conftest import FAST

WS = DEMO_WORKSPACE_ID
SANDBOX_URL = "http://sandbox.localhost/api/v1"


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as sandbox:
        yield sandbox


def run(
    pack: Pack, sandbox: Sandbox, name: str, params: dict[str, Any], **options: Any
) -> dict[str, Any]:
    options.setdefault("settings", FAST)
    return pack.run(
        name,
        params,
        api_key=DEMO_API_KEY,
        base_url=SANDBOX_URL,
        transport=sandbox.transport(),
        **options,
    )


WRITES: dict[str, tuple[dict[str, Any], str]] = {
    "create_project": ({"workspace_id": WS, "name": "Fault Project"}, "/workspaces/*/projects"),
    "create_time_entry": (
        {
            "workspace_id": WS,
            "project_id": SAMPLE_PROJECT_ID,
            "start": "2026-01-28T09:00:00Z",
            "end": "2026-01-28T10:00:00Z",
        },
        "/workspaces/*/time-entries",
    ),
    "start_timer": (
        {"workspace_id": WS, "description": "Fault timer"},
        "/workspaces/*/time-entries",
    ),
}


def records(sandbox: Sandbox, name: str) -> int:
    if name == "create_project":
        return sum(p["name"] == "Fault Project" for p in sandbox.projects(WS))
    return len(sandbox.time_entries(WS, DEMO_USER_ID))


def posts(sandbox: Sandbox) -> int:
    return sum(r.method == "POST" for r in sandbox.request_log())


# (fault, records left, envelope type or "success", POSTs made, the write's outcome)
# A 2xx whose body was cut short is a whole answer: Clockify applied the write.
CASES = {
    "500-before": (
        {"action": "status", "status": 500, "when": "before"},
        0,
        "upstream_error",
        1,
        "unknown",
    ),
    "500-after": (
        {"action": "status", "status": 500, "when": "after"},
        1,
        "upstream_error",
        1,
        "unknown",
    ),
    "503-before": (
        {"action": "status", "status": 503, "when": "before"},
        0,
        "upstream_error",
        1,
        "unknown",
    ),
    "timeout-after": ({"action": "timeout", "when": "after"}, 1, "network_error", 1, "unknown"),
    "timeout-before": ({"action": "timeout", "when": "before"}, 0, "network_error", 1, "unknown"),
    "dropped-after": ({"action": "drop", "when": "after"}, 1, "network_error", 1, "unknown"),
    "truncated-after": ({"action": "truncate", "when": "after"}, 1, "contract_error", 1, "applied"),
    "refused-before": ({"action": "drop", "when": "before"}, 1, "success", 2, None),
    "429-before": ({"action": "status", "status": 429, "when": "before"}, 1, "success", 2, None),
    "429-retry-after": (
        {"action": "status", "status": 429, "when": "before", "retry_after": 1},
        1,
        "success",
        2,
        None,
    ),
}


@pytest.mark.parametrize("name", WRITES)
@pytest.mark.parametrize("case", CASES)
def test_write_meeting_a_fault_is_made_at_most_once(
    pack: Pack, sandbox: Sandbox, name: str, case: str
) -> None:
    fault, expected_records, expected_type, expected_posts, outcome = CASES[case]
    params, path = WRITES[name]
    before = records(sandbox, name)
    sandbox.add_fault(method="POST", path=path, times=1, **fault)
    result = run(pack, sandbox, name, params)
    assert records(sandbox, name) - before == expected_records
    assert posts(sandbox) == expected_posts
    if expected_type == "success":
        assert result["status"] == "success"
        return
    error = result["error"]
    assert error["type"] == expected_type
    assert error["retryable"] is False
    assert error["details"][-1] == {"attempts": 1, "outcome": outcome}
    if outcome == "unknown":
        assert "check Clockify" in error["message"]
    else:
        assert "do not send it again" in error["message"]


def test_read_meeting_two_503s_then_success_succeeds(pack: Pack, sandbox: Sandbox) -> None:
    sandbox.add_fault(
        method="GET", path="/workspaces", action="status", status=503, when="before", times=2
    )
    result = run(pack, sandbox, "list_workspaces", {})
    assert result["status"] == "success"
    assert result["count"] >= 2
    assert [r.status for r in sandbox.request_log()] == [503, 503, 200]


@pytest.mark.parametrize(
    "fault",
    [
        {"action": "timeout", "when": "before"},
        {"action": "drop", "when": "after"},
        {"action": "status", "status": 502, "when": "before"},
        {"action": "status", "status": 504, "when": "before", "body": "html"},
        {"action": "status", "status": 429, "when": "before", "body": "empty"},
    ],
    ids=["timeout", "dropped", "502", "504-html", "429-empty"],
)
def test_reads_recover_from_each_transient_failure(
    pack: Pack, sandbox: Sandbox, fault: dict[str, Any]
) -> None:
    sandbox.add_fault(method="GET", path="/workspaces/*/projects", times=1, **fault)
    result = run(pack, sandbox, "list_projects", {"workspace_id": WS})
    assert result["status"] == "success"
    assert len(sandbox.request_log()) == 2


def test_rate_limit_outlasting_the_deadline_is_rate_limited(pack: Pack, sandbox: Sandbox) -> None:
    sandbox.add_fault(
        method="GET", path="/user", action="status", status=429, when="before", times=None
    )
    error = run(pack, sandbox, "get_current_user", {})["error"]
    assert error["type"] == "rate_limited"
    assert error["retryable"] is True
    assert "Still rate limited after 4 attempts" in error["message"]
    assert {"attempts": 4} in error["details"]


def test_sandbox_free_plan_limit_surfaces_as_rate_limited(pack: Pack, sandbox: Sandbox) -> None:
    sandbox.configure(rate_limit="free")
    for _ in range(30):
        assert run(pack, sandbox, "list_projects", {"workspace_id": WS})["status"] == "success"
    error = run(pack, sandbox, "list_projects", {"workspace_id": WS})["error"]
    assert error["type"] == "rate_limited"


def test_truncated_body_is_upstream_error(pack: Pack, sandbox: Sandbox) -> None:
    sandbox.add_fault(method="GET", path="/user", action="truncate", when="after", times=None)
    error = run(pack, sandbox, "get_current_user", {})["error"]
    assert error["type"] == "upstream_error"
    assert "not valid JSON" in error["message"]


def test_response_larger_than_the_limit_is_refused_unread(pack: Pack, sandbox: Sandbox) -> None:
    sandbox.seed_projects(WS, 300)
    settings = ClientSettings(requests_per_second=None, max_response_bytes=50_000, retry=FAST.retry)
    error = run(pack, sandbox, "list_projects", {"workspace_id": WS}, settings=settings)["error"]
    assert error["type"] == "upstream_error"
    assert "larger than the 50000-byte limit" in error["message"]


@pytest.mark.parametrize(
    "text",
    [
        "Zeit erfassen ⏱️🚀",
        "مشروع جديد",
        "שלום עולם",
        "Cafe\u0301 n\u0303o",
        "👩🏽‍💻 family 👨‍👩‍👧‍👦",
        "漢字とかな",
    ],
    ids=["emoji", "arabic", "hebrew", "combining", "zwj", "cjk"],
)
def test_unicode_round_trips_unchanged(pack: Pack, sandbox: Sandbox, text: str) -> None:
    created = run(pack, sandbox, "create_project", {"workspace_id": WS, "name": text})
    assert created["name"] == text
    listed = run(pack, sandbox, "list_projects", {"workspace_id": WS})
    assert text in [p["name"] for p in listed["projects"]]
    timer = run(pack, sandbox, "start_timer", {"workspace_id": WS, "description": text})
    assert timer["description"] == text
    stopped = run(pack, sandbox, "stop_timer", {"workspace_id": WS, "user_id": DEMO_USER_ID})
    assert stopped["description"] == text


def test_pacer_is_shared_per_key() -> None:
    assert Pacer.for_key("key-one", 50) is Pacer.for_key("key-one", 50)
    assert Pacer.for_key("key-one", 50) is not Pacer.for_key("key-two", 50)
