"""`internal_error` means a bug. Inputs at the edges of what the pack handles (instants in
the years 1 and 9999, in any zone; thousands of ids; a proxy URL that cannot be parsed)
and answers Clockify should never send (a start without a zone) each get the documented
type instead: `validation_error` for the caller's input, `config_error` for a setting,
`contract_error` for Clockify's answer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clockify_actions import Pack
from clockify_actions.clockify import ClientSettings, RetrySettings
from clockify_actions.sandbox import DEMO_API_KEY, DEMO_WORKSPACE_ID, Sandbox
from fake_clockify import USER, WS, FakeClockify, time_entry

ONE_ATTEMPT = ClientSettings(requests_per_second=None, retry=RetrySettings(max_attempts=1))
FIXTURES = [HealthCheck.function_scoped_fixture]


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    path: Path = tmp_path_factory.mktemp("edges") / "sandbox.sqlite3"
    with Sandbox.open(path) as opened:
        yield opened


def on_sandbox(pack: Pack, sandbox: Sandbox, action: str, params: dict[str, Any]) -> Any:
    return pack.run(
        action,
        params,
        api_key=DEMO_API_KEY,
        base_url="http://sandbox.localhost/api/v1",
        transport=sandbox.transport(),
        settings=ONE_ATTEMPT,
    )


def not_a_bug(result: dict[str, Any]) -> str:
    """The result's outcome, once it is shown not to be an `internal_error`."""
    outcome = result["error"]["type"] if result["status"] == "error" else "success"
    assert outcome != "internal_error", result
    return str(outcome)


# Instants a day either side of the ends of the years a date can hold, with any offset.
edge_moments = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(1, 1, 3)),
    st.datetimes(min_value=datetime(9999, 12, 29), max_value=datetime(9999, 12, 31, 23, 59)),
)
offsets = st.sampled_from(["Z", "+14:00", "-12:00", "+05:30", "-05:00", "+00:00"])
zones = st.sampled_from(
    ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Etc/GMT-14", "Etc/GMT+12", "Asia/Tokyo"]
)


def stamp(moment: datetime, offset: str) -> str:
    return f"{moment.replace(microsecond=0).isoformat()}{offset}"


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURES)
@given(
    start=edge_moments,
    start_offset=offsets,
    end=edge_moments,
    end_offset=offsets,
    which=st.sampled_from(["start", "end", "both"]),
)
def test_a_list_window_at_the_ends_of_time_is_never_a_bug(
    pack: Pack,
    sandbox: Sandbox,
    start: datetime,
    start_offset: str,
    end: datetime,
    end_offset: str,
    which: str,
) -> None:
    params: dict[str, Any] = {"workspace_id": DEMO_WORKSPACE_ID}
    if which in ("start", "both"):
        params["start"] = stamp(start, start_offset)
    if which in ("end", "both"):
        params["end"] = stamp(end, end_offset)
    assert not_a_bug(on_sandbox(pack, sandbox, "list_time_entries", params)) in (
        "success",
        "validation_error",
    )


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURES)
@given(
    start=edge_moments,
    start_offset=offsets,
    end=edge_moments,
    end_offset=offsets,
    zone=zones,
    kind=st.sampled_from(["summary_report", "detailed_report"]),
)
def test_a_report_at_the_ends_of_time_in_any_zone_is_never_a_bug(
    pack: Pack,
    sandbox: Sandbox,
    start: datetime,
    start_offset: str,
    end: datetime,
    end_offset: str,
    zone: str,
    kind: str,
) -> None:
    params = {
        "workspace_id": DEMO_WORKSPACE_ID,
        "start": stamp(start, start_offset),
        "end": stamp(end, end_offset),
        "time_zone": zone,
    }
    not_a_bug(on_sandbox(pack, sandbox, kind, params))


def test_the_last_day_of_year_9999_in_kiritimati_is_a_validation_error(
    pack: Pack, sandbox: Sandbox
) -> None:
    params = {
        "workspace_id": DEMO_WORKSPACE_ID,
        "start": "9999-12-01T00:00:00Z",
        "end": "9999-12-31T23:59:59Z",
        "time_zone": "Pacific/Kiritimati",
    }
    result = on_sandbox(pack, sandbox, "summary_report", params)
    assert result["error"]["type"] == "validation_error"
    assert result["error"]["details"][0]["path"] == "/end"


@settings(max_examples=8, deadline=None, suppress_health_check=FIXTURES)
@given(count=st.integers(min_value=2_500, max_value=6_000))
def test_thousands_of_tag_ids_are_a_validation_error_with_nothing_sent(
    pack: Pack, sandbox: Sandbox, count: int
) -> None:
    before = len(sandbox.request_log())
    params = {
        "workspace_id": DEMO_WORKSPACE_ID,
        "user_id": "64b7c0de5eed000000000a01",
        "tag_ids": [f"64b7c0de5eed{number:012x}" for number in range(count)],
    }
    result = on_sandbox(pack, sandbox, "list_time_entries", params)
    assert not_a_bug(result) == "validation_error"
    assert result["error"]["details"] == [{"attempts": 0}]
    assert len(sandbox.request_log()) == before, "nothing reaches Clockify"


@settings(max_examples=40, deadline=None, suppress_health_check=FIXTURES)
@given(
    start=st.one_of(
        st.datetimes(min_value=datetime(2000, 1, 1)).map(lambda moment: moment.isoformat()),
        st.datetimes(min_value=datetime(2000, 1, 1)).map(lambda moment: f"{moment:%Y-%m-%d}"),
        st.text(max_size=30),
    )
)
def test_an_entry_whose_start_the_pack_cannot_read_is_a_contract_error(
    pack: Pack, start: str
) -> None:
    clockify = FakeClockify()
    entry = time_entry(start, None, None)
    clockify.answer("GET", f"/workspaces/{WS}/user/{USER}/time-entries", body=[entry])
    result = pack.run(
        "list_time_entries",
        {"workspace_id": WS, "user_id": USER, "start": "2026-01-28T00:00:00Z"},
        api_key="edge-test-key-Qm3v",
        transport=clockify.transport,
        settings=ONE_ATTEMPT,
        clock=lambda: datetime(2026, 1, 28, 12, tzinfo=UTC),
    )
    assert not_a_bug(result) == "contract_error"


bad_proxies = st.one_of(
    st.sampled_from(["http://[::1", "http://[", "https://[::1]:port", "http://[zz::1]"]),
    st.text(alphabet="[]:/@%#?x1. ", max_size=16).map(lambda rest: "http://" + rest),
)


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURES)
@given(proxy=bad_proxies, variable=st.sampled_from(["HTTPS_PROXY", "ALL_PROXY"]))
def test_a_proxy_setting_is_never_a_bug(
    pack: Pack,
    monkeypatch: pytest.MonkeyPatch,
    network_attempts: list[object],
    proxy: str,
    variable: str,
) -> None:
    with monkeypatch.context() as scoped:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
            scoped.delenv(name, raising=False)
            scoped.delenv(name.lower(), raising=False)
        scoped.setenv(variable, proxy)
        result = pack.run("list_workspaces", {}, api_key="edge-test-key-Qm3v", settings=ONE_ATTEMPT)
    assert not_a_bug(result) in ("config_error", "network_error")


def test_an_unclosed_ipv6_proxy_is_a_config_error(
    pack: Pack, monkeypatch: pytest.MonkeyPatch, network_attempts: list[object]
) -> None:
    for name in ("HTTP_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://[::1")
    result = pack.run("list_workspaces", {}, api_key="edge-test-key-Qm3v", settings=ONE_ATTEMPT)
    assert result["error"]["type"] == "config_error"
    assert "HTTPS_PROXY" in result["error"]["message"]
    assert network_attempts == []


def test_an_offset_wall_clock_outside_the_years_is_refused_not_crashed() -> None:
    from clockify_actions.timeutil import TimestampError, to_wire

    late = datetime(9999, 12, 31, 23, 0, tzinfo=timezone(-timedelta(hours=5)))
    with pytest.raises(TimestampError):
        to_wire(late)
