"""A detailed report's pages: every one fetched, 1000 entries at a time, and a report past
the cap an error, never a cut."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from clockify_actions import Pack
from clockify_actions.clockify import ClientSettings, RetrySettings
from clockify_actions.sandbox import DEMO_WORKSPACE_ID

FAST = ClientSettings(requests_per_second=None, retry=RetrySettings(max_attempts=1))
# Any week: its pages come from the fake Clockify below.
WEEK = {
    "workspace_id": DEMO_WORKSPACE_ID,
    "start": "2026-03-09T00:00:00Z",
    "end": "2026-03-16T00:00:00Z",
}


def _page(ids: range) -> list[dict[str, Any]]:
    return [
        {
            "_id": f"{number:024x}",
            "timeInterval": {
                "start": "2026-03-09T10:00:00+01:00",
                "end": "2026-03-09T10:00:01+01:00",
                "duration": 1,
            },
        }
        for number in ids
    ]


def _paged_clockify(
    pages: list[tuple[list[dict[str, Any]], str | None]],
) -> tuple[httpx.MockTransport, list[dict[str, Any]]]:
    sent: list[dict[str, Any]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        sent.append(body)
        entries, last = pages[len(sent) - 1]
        headers = {} if last is None else {"Last-Page": last}
        totals = [{"totalTime": 1001, "entriesCount": 1001}]
        return httpx.Response(200, json={"totals": totals, "timeentries": entries}, headers=headers)

    return httpx.MockTransport(answer), sent


@pytest.mark.parametrize("last_page_header", [True, False])
def test_every_page_is_fetched_at_1000(pack: Pack, last_page_header: bool) -> None:
    transport, sent = _paged_clockify(
        [
            (_page(range(1000)), "false" if last_page_header else None),
            (_page(range(1000, 1001)), "true" if last_page_header else None),
        ]
    )
    envelope = pack.run("detailed_report", WEEK, api_key="k", transport=transport, settings=FAST)
    assert envelope["count"] == 1001, envelope
    assert [(b["detailedFilter"]["page"], b["detailedFilter"]["pageSize"]) for b in sent] == [
        (1, 1000),
        (2, 1000),
    ]
    assert envelope["time_entries"][0]["start"] == "2026-03-09T09:00:00Z"


def test_a_report_past_the_cap_is_an_error_not_a_cut(pack: Pack) -> None:
    transport, sent = _paged_clockify([(_page(range(1000)), "false")] * 3)
    settings = ClientSettings(requests_per_second=None, max_list_items=1500)
    envelope = pack.run(
        "detailed_report", WEEK, api_key="k", transport=transport, settings=settings
    )
    assert envelope["error"]["type"] == "upstream_error"
    assert "1,500" in envelope["error"]["message"]
    assert len(sent) == 2
