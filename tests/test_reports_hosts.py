"""Which reports host a report reaches: the one of each connection's region or base URL,
never one that could leak the key, and the rules `serve` applies to a request line's
reports host."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from clockify_actions import Pack
from clockify_actions.adapters.worker import serve
from clockify_actions.clockify import ClientSettings, RetrySettings
from clockify_actions.clockify.retry import Outcome, is_retried, method_kind
from clockify_actions.errors import ActionError
from clockify_actions.runtime import reports_base_url_for
from clockify_actions.sandbox import (
    DEMO_API_KEY,
    DEMO_WORKSPACE_ID,
    Sandbox,
)

FAST = ClientSettings(requests_per_second=None, retry=RetrySettings(max_attempts=1))


@pytest.mark.parametrize(
    ("region", "base_url", "reports_base_url", "expected"),
    [
        (None, None, None, "https://reports.api.clockify.me/v1"),
        ("global", None, None, "https://reports.api.clockify.me/v1"),
        ("euc1", None, None, "https://euc1.clockify.me/report/v1"),
        ("APSE2", None, None, "https://apse2.clockify.me/report/v1"),
        (None, "https://api.clockify.me/api/v1", None, "https://reports.api.clockify.me/v1"),
        (None, "https://use2.clockify.me/api/v1/", None, "https://use2.clockify.me/report/v1"),
        ("euc1", "https://euw2.clockify.me/api/v1", None, "https://euw2.clockify.me/report/v1"),
        (None, "https://acme.clockify.me/api/v1", None, "https://acme.clockify.me/report/v1"),
        (
            None,
            "https://developer.clockify.me/api/v1",
            None,
            "https://developer.clockify.me/report/v1",
        ),
        (None, "http://127.0.0.1:8080/api/v1", None, "http://127.0.0.1:8080/report/v1"),
        (None, "http://[::1]:8080/api/v1", None, "http://[::1]:8080/report/v1"),
        (
            "euc1",
            "http://localhost:9/api/v1",
            "https://reports.example.com/v1/",
            "https://reports.example.com/v1",
        ),
    ],
)
def test_the_reports_host_follows_the_region_or_base_url(
    region: str | None, base_url: str | None, reports_base_url: str | None, expected: str
) -> None:
    assert reports_base_url_for(region, base_url, reports_base_url) == expected


@pytest.mark.parametrize(
    ("region", "base_url", "reports_base_url", "says"),
    [
        (None, None, "http://reports.example.com/v1", "reports_base_url must use https"),
        (None, None, "https://user:pw@reports.example.com/v1", "user name or password"),
        (None, None, "ftp://reports.example.com/v1", "reports_base_url must be an http(s) URL"),
        (None, "http://clockify.example.com/api/v1", None, "base_url must use https"),
        ("mars", None, None, "Unknown Clockify region"),
    ],
)
def test_a_reports_host_that_could_leak_the_key_is_refused(
    region: str | None, base_url: str | None, reports_base_url: str | None, says: str
) -> None:
    with pytest.raises(ActionError) as raised:
        reports_base_url_for(region, base_url, reports_base_url)
    assert says in raised.value.message
    assert "pw" not in raised.value.message


def test_a_report_is_a_post_that_is_retried_as_a_read() -> None:
    assert method_kind("POST", reports=True) == "read"
    assert method_kind("POST") == "write"
    assert is_retried("POST", Outcome.TIMEOUT, reports=True)
    assert not is_retried("POST", Outcome.TIMEOUT)


SUMMARY = {"workspace_id": DEMO_WORKSPACE_ID, "start": "2026-03-09T00:00:00Z"}


def _sent_url(pack: Pack, **options: Any) -> str:
    envelope = pack.run(
        "summary_report", {**SUMMARY, "end": "2026-03-16T00:00:00Z"}, dry_run=True, **options
    )
    assert envelope["status"] == "dry_run", envelope
    url: str = envelope["requests"][0]["url"]
    return url


def test_a_run_reaches_the_reports_host_of_its_connection(
    pack: Pack, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("CLOCKIFY_REGION", "CLOCKIFY_BASE_URL", "CLOCKIFY_REPORTS_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    path = f"/workspaces/{DEMO_WORKSPACE_ID}/reports/summary"
    assert _sent_url(pack) == "https://reports.api.clockify.me/v1" + path
    assert _sent_url(pack, region="euw2") == "https://euw2.clockify.me/report/v1" + path
    monkeypatch.setenv("CLOCKIFY_BASE_URL", "http://127.0.0.1:5000/api/v1")
    assert _sent_url(pack) == "http://127.0.0.1:5000/report/v1" + path
    monkeypatch.setenv("CLOCKIFY_REPORTS_BASE_URL", "https://reports.example.com/v1")
    assert _sent_url(pack) == "https://reports.example.com/v1" + path
    assert _sent_url(pack, reports_base_url="https://euc1.clockify.me/report/v1").startswith(
        "https://euc1.clockify.me/report/v1/"
    )


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as opened:
        yield opened


class _Seen(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.urls: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url.copy_with(query=None)).split("/workspaces/")[0])
        return self.inner.handle_request(request)


def test_a_request_line_may_pick_only_clockifys_reports_hosts_or_the_workers_own(
    sandbox: Sandbox, pack: Pack
) -> None:
    seen = _Seen(sandbox.transport())
    week = {**SUMMARY, "end": "2026-03-16T00:00:00Z"}
    line = {"action": "summary_report", "input": week}
    own = "http://127.0.0.1:7002/report/v1"  # the worker's own, set apart from its base URL's
    lines = [
        {"id": 1, **line},
        {"id": 2, **line, "connection": {"region": "euc1"}},
        {"id": 3, **line, "connection": {"base_url": "https://use2.clockify.me/api/v1"}},
        {
            "id": 4,
            **line,
            "connection": {"reports_base_url": "https://apse2.clockify.me/report/v1/"},
        },
        {"id": 5, **line, "connection": {"reports_base_url": own + "/"}},
        {"id": 6, **line, "connection": {"reports_base_url": "https://reports.example.com/v1"}},
        {"id": 7, **line, "connection": {"reports_base_url": 7}},
        {"id": 8, **line, "connection": {"reports_base_url": "http://127.0.0.1:7000/report/v1"}},
    ]
    out = io.StringIO()
    serve(
        pack,
        io.BytesIO(b"".join(json.dumps(line).encode() + b"\n" for line in lines)),
        out,
        {
            "api_key": DEMO_API_KEY,
            "base_url": "http://127.0.0.1:7000/api/v1",
            "reports_base_url": own,
            "transport": seen,
            "settings": FAST,
        },
    )
    answers = [json.loads(text) for text in out.getvalue().splitlines()]
    statuses = [answer["envelope"]["status"] for answer in answers]
    assert statuses == ["success"] * 5 + ["error"] * 3
    for answer in answers[5:]:
        assert answer["envelope"]["error"]["type"] == "validation_error"
        assert "reports_base_url" in answer["envelope"]["error"]["message"]
    # A region, or a region's API root, reads that region's reports, not the worker's.
    assert seen.urls == [
        own,
        "https://euc1.clockify.me/report/v1",
        "https://use2.clockify.me/report/v1",
        "https://apse2.clockify.me/report/v1",
        own,
    ]


def test_a_client_given_only_a_base_url_reads_reports_on_its_host() -> None:
    from clockify_actions.clockify import ClockifyClient

    with ClockifyClient("k", "http://stand-in.example:8080/api/v1") as client:
        assert client.reports_base_url == "http://stand-in.example:8080/report/v1"
    with ClockifyClient("k", "https://euc1.clockify.me/api/v1") as client:
        assert client.reports_base_url == "https://euc1.clockify.me/report/v1"
