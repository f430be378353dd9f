"""Python for orchestrators: `pack.call` returns the result or raises the one
`ActionFailed`, `retries="none"` leaves every retry to the orchestrator, and a nullable
parameter's null clears its field."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clockify_actions import ActionFailed, Pack
from clockify_actions.clockify import ClientSettings, RetrySettings
from clockify_actions.sandbox import (
    DEMO_API_KEY,
    DEMO_WORKSPACE_ID,
    SAMPLE_PROJECT_ID,
    Sandbox,
)

# Waits change when a retry goes out, never how many do.
QUICK = ClientSettings(
    requests_per_second=None,
    retry=RetrySettings(base_delay=0.0001, max_delay=0.0002, retry_after_cap=0.001),
)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as opened:
        yield opened


def _connection(sandbox: Sandbox, **more: Any) -> dict[str, Any]:
    return {
        "api_key": DEMO_API_KEY,
        "transport": sandbox.transport(),
        "settings": QUICK,
        **more,
    }


def test_call_returns_the_result_without_its_status(pack: Pack, sandbox: Sandbox) -> None:
    result = pack.call("get_workspace", {"workspace_id": DEMO_WORKSPACE_ID}, **_connection(sandbox))
    assert result["id"] == DEMO_WORKSPACE_ID
    assert "status" not in result


def test_call_raises_one_exception_carrying_the_envelope(pack: Pack, sandbox: Sandbox) -> None:
    sandbox.add_fault(action="status", status=429, when="before", times=None)
    with pytest.raises(ActionFailed) as failed:
        pack.call(
            "create_tag",
            {"workspace_id": DEMO_WORKSPACE_ID, "name": "Urgent"},
            **_connection(sandbox),
        )
    error = failed.value
    assert (error.type, error.retryable, error.outcome) == ("rate_limited", True, "not_applied")
    assert error.envelope["status"] == "error"
    assert error.details == error.envelope["error"]["details"]
    # A task queue or a process pool sends it on whole.
    assert pickle.loads(pickle.dumps(error)).envelope == error.envelope


def test_an_invalid_input_raises_a_retryable_false_failure(pack: Pack, sandbox: Sandbox) -> None:
    with pytest.raises(ActionFailed) as failed:
        pack.call("get_workspace", {"workspace_id": "nope"}, **_connection(sandbox))
    assert (failed.value.type, failed.value.retryable) == ("validation_error", False)
    assert sandbox.request_log() == []


@pytest.mark.parametrize(("retries", "attempts"), [("none", 1), ("pack", 4), (None, 4)])
def test_retries_none_makes_exactly_one_attempt_under_a_lasting_503(
    pack: Pack, sandbox: Sandbox, retries: str | None, attempts: int
) -> None:
    sandbox.add_fault(action="status", status=503, when="before", times=None)
    with pytest.raises(ActionFailed) as failed:
        pack.call(
            "get_workspace",
            {"workspace_id": DEMO_WORKSPACE_ID},
            **_connection(sandbox, retries=retries),
        )
    assert failed.value.retryable is True
    assert len(sandbox.request_log()) == attempts


def test_the_retries_setting_comes_from_the_environment_too(
    pack: Pack, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLOCKIFY_RETRIES", "none")
    sandbox.add_fault(action="status", status=503, when="before", times=None)
    envelope = pack.run(
        "get_workspace", {"workspace_id": DEMO_WORKSPACE_ID}, **_connection(sandbox)
    )
    assert envelope["error"]["type"] == "upstream_error"
    assert len(sandbox.request_log()) == 1


def test_an_unknown_retries_setting_is_a_config_error(pack: Pack, sandbox: Sandbox) -> None:
    envelope = pack.run(
        "get_workspace",
        {"workspace_id": DEMO_WORKSPACE_ID},
        **_connection(sandbox, retries="orchestrator"),
    )
    assert envelope["error"]["type"] == "config_error"
    assert sandbox.request_log() == []


# --- null that means "clear" ------------------------------------------------------------


def _entry_on_a_project(pack: Pack, sandbox: Sandbox) -> dict[str, Any]:
    return pack.call(
        "create_time_entry",
        {
            "workspace_id": DEMO_WORKSPACE_ID,
            "start": "2026-01-28T09:00:00Z",
            "end": "2026-01-28T10:00:00Z",
            "project_id": SAMPLE_PROJECT_ID,
            "description": "Planning",
        },
        **_connection(sandbox),
    )


def test_project_id_null_takes_the_entry_off_its_project(pack: Pack, sandbox: Sandbox) -> None:
    entry = _entry_on_a_project(pack, sandbox)
    assert entry["project_id"] == SAMPLE_PROJECT_ID
    updated = pack.call(
        "update_time_entry",
        {"workspace_id": DEMO_WORKSPACE_ID, "time_entry_id": entry["id"], "project_id": None},
        **_connection(sandbox),
    )
    assert updated["project_id"] is None
    assert updated["description"] == "Planning"
    stored = pack.call(
        "get_time_entry",
        {"workspace_id": DEMO_WORKSPACE_ID, "time_entry_id": entry["id"]},
        **_connection(sandbox),
    )
    assert stored["project_id"] is None


def test_null_for_an_optional_parameter_that_admits_no_null_is_still_left_out(
    pack: Pack, sandbox: Sandbox
) -> None:
    entry = _entry_on_a_project(pack, sandbox)
    updated = pack.call(
        "update_time_entry",
        {
            "workspace_id": DEMO_WORKSPACE_ID,
            "time_entry_id": entry["id"],
            "description": "Review",
            "billable": None,
            "tag_ids": None,
        },
        **_connection(sandbox),
    )
    assert (updated["description"], updated["project_id"]) == ("Review", SAMPLE_PROJECT_ID)
