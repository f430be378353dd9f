"""Shared reports on the reports host answer as Clockify's live ones were recorded
(docs/clockify-api.md §24.7): a 200 create, a list whose count is every match and whose
page size is camelCase, a merging PUT, a 204 delete, the rendering on the bare path, and
the 405s and the 500 of the routes as they are."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from clockify_actions.sandbox import DEMO_API_KEY, DEMO_WORKSPACE_ID, Sandbox

SHARED = f"/workspaces/{DEMO_WORKSPACE_ID}/shared-reports"
JANUARY = {
    "exportType": "JSON_V1",
    "dateRangeStart": "2024-01-01T00:00:00.000Z",
    "dateRangeEnd": "2024-01-31T23:59:59.999Z",
    "summaryFilter": {"groups": ["PROJECT"]},
}


@pytest.fixture
def reports(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url="https://reports.api.clockify.me/v1",
        transport=sandbox.transport(),
        headers={"X-Api-Key": DEMO_API_KEY},
    ) as client:
        yield client


def _save(reports: httpx.Client, name: str = "January", **fields: Any) -> dict[str, Any]:
    body = {"name": name, "type": "SUMMARY", "filter": JANUARY, **fields}
    saved = reports.post(SHARED, json=body)
    assert saved.status_code == 200, saved.text  # 200, not 201
    document: dict[str, Any] = saved.json()
    return document


def test_a_saved_report_has_the_recorded_keys_and_clockifys_defaults(
    reports: httpx.Client,
) -> None:
    saved = _save(reports)
    assert set(saved) == {
        "id", "workspaceId", "userId", "name", "isPublic", "visibleToUserGroups",
        "visibleToUsers", "fixedDate", "type", "filter",
    }  # fmt: skip
    assert saved["filter"]["dateRangeType"] == "ABSOLUTE"
    assert saved["filter"]["summaryFilter"]["summaryChartType"] == "BILLABILITY"


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"name": "x", "filter": JANUARY}, "arg0.type"),
        ({"name": "x", "type": "SUMMARY"}, "arg0.filter"),
        ({"name": "x", "type": "SUMMARY", "filter": {**JANUARY, "exportType": None}}, "exportType"),
        ({"name": "x", "type": "SUMMARY", "filter": {**JANUARY, "summaryFilter": {}}}, "groups"),
    ],
)
def test_a_body_without_a_required_field_is_refused_naming_it(
    reports: httpx.Client, body: dict[str, Any], named: str
) -> None:
    refused = reports.post(SHARED, json=body)
    assert refused.status_code == 400 and named in refused.json()["message"]
    assert reports.get(SHARED).json()["count"] == 0


def test_the_list_pages_by_camel_case_page_size_and_counts_every_match(
    reports: httpx.Client,
) -> None:
    for number in range(3):
        _save(reports, f"Report {number}")
    page = reports.get(SHARED, params={"pageSize": 2}).json()
    assert len(page["reports"]) == 2 and page["count"] == 3
    ignored = reports.get(SHARED, params={"page-size": 2}).json()
    assert len(ignored["reports"]) == 3
    assert reports.get(SHARED, params={"sharedReportsFilter": "MINE"}).status_code == 500


def test_a_put_merges_and_a_delete_ends_the_link(reports: httpx.Client) -> None:
    saved = _save(reports)
    one = f"{SHARED}/{saved['id']}"
    changed = reports.put(one, json={"name": "Renamed"}).json()
    assert changed == {**saved, "name": "Renamed"}
    assert reports.put(one, json={"isPublic": True}).status_code == 400  # name is required
    assert reports.get(one).status_code == 405
    assert reports.put(f"/shared-reports/{saved['id']}", json={"name": "x"}).status_code == 405
    rendered = reports.get(f"/shared-reports/{saved['id']}").json()
    assert set(rendered) == {"totals", "donutChart", "groupTotals", "groupOne", "filters"}
    assert rendered["filters"]["name"] == "Renamed"
    assert rendered["totals"][0]["totalTime"] == 5400  # the seeded January entry
    deleted = reports.delete(one)
    assert deleted.status_code == 204 and deleted.content == b""
    assert reports.get(f"/shared-reports/{saved['id']}").status_code == 404
    assert reports.delete(one).status_code == 404
