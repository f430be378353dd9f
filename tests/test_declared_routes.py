"""What a manifest says an action or a trigger calls (`clockify:`) is what its cassettes
call: every recorded request is one of its declared routes, and every declared route is
called by at least one of its cassettes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from clockify_actions import load_pack
from clockify_actions.contract import CASSETTES_FOLDER, FIXTURES_FOLDER, Route, route_of

PACK = load_pack()
ITEMS: dict[str, Any] = {
    **{f"action:{name}": action for name, action in PACK.actions.items()},
    **{f"trigger:{name}": trigger for name, trigger in PACK.triggers.items()},
}


def _requests(folder: Path) -> list[tuple[str, str, str]]:
    """Each request of the item's cassettes: (cassette, method, URL)."""
    return [
        (cassette.stem, interaction["request"]["method"], interaction["request"]["uri"])
        for cassette in sorted((folder / FIXTURES_FOLDER / CASSETTES_FOLDER).glob("*.yaml"))
        for interaction in yaml.safe_load(cassette.read_text(encoding="utf-8"))["interactions"]
    ]


@pytest.mark.parametrize("item", ITEMS)
def test_every_recorded_request_is_a_declared_route(item: str) -> None:
    subject = ITEMS[item]
    requests = _requests(subject.folder)
    assert requests, "no cassette holds a request"
    undeclared = [
        f"{cassette}: {method} {uri}"
        for cassette, method, uri in requests
        if route_of(subject.clockify, method, uri) is None
    ]
    assert undeclared == [], f"not in clockify: {subject.clockify}"


@pytest.mark.parametrize("item", ITEMS)
def test_every_declared_route_is_called_by_a_cassette(item: str) -> None:
    subject = ITEMS[item]
    requests = _requests(subject.folder)
    uncalled = [
        entry
        for entry in subject.clockify
        if not any(Route.parse(entry).serves(method, uri) for _, method, uri in requests)
    ]
    assert uncalled == []


@pytest.mark.parametrize(
    ("entry", "method", "uri", "served"),
    [
        (
            "GET /workspaces/{workspaceId}/entities/created?type=TAGS",
            "GET",
            "https://api.clockify.me/api/v1/workspaces/w1/entities/created?type=TAGS&page=0",
            True,
        ),
        (
            "GET /workspaces/{workspaceId}/entities/created?type=TAGS",
            "GET",
            "https://api.clockify.me/api/v1/workspaces/w1/entities/created?type=CLIENTS",
            False,
        ),
        (
            "GET /workspaces/{workspaceId}/projects",
            "POST",
            "https://api.clockify.me/api/v1/workspaces/w1/projects",
            False,
        ),
        (
            "GET /workspaces/{workspaceId}/projects",
            "GET",
            "https://api.clockify.me/api/v1/workspaces/w1/projects/p1",
            False,
        ),
        (
            "POST /workspaces/{workspaceId}/reports/summary (reports host)",
            "POST",
            "https://reports.api.clockify.me/v1/workspaces/w1/reports/summary",
            True,
        ),
        (
            "POST /workspaces/{workspaceId}/reports/summary (reports host)",
            "POST",
            "https://api.clockify.me/api/v1/workspaces/w1/reports/summary",
            False,
        ),
        (
            "POST /workspaces/{workspaceId}/reports/summary",
            "POST",
            "https://euc1.clockify.me/report/v1/workspaces/w1/reports/summary",
            False,
        ),
        ("GET /workspaces", "GET", "https://euc1.clockify.me/api/v1/workspaces", True),
        ("GET /workspaces", "GET", "https://example.com/api/v1/workspaces", False),
    ],
)
def test_a_route_serves_its_method_host_path_and_query_only(
    entry: str, method: str, uri: str, served: bool
) -> None:
    assert Route.parse(entry).serves(method, uri) is served
