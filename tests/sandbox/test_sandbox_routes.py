"""What the sandbox says it emulates (`emulated_routes()`) is what it serves: every Clockify
call an action or trigger declares in its manifest (`clockify:`), and every route of the
spec's emulated resources, is on the list and answered by a handler, never "not emulated"."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import yaml

from clockify_actions.sandbox import (
    DEMO_API_KEY,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    SAMPLE_PROJECT_ID,
    SAMPLE_TIME_ENTRY_ID,
    EmulatedRoute,
    Sandbox,
    emulated_routes,
)

from .sandbox_testkit import ROOT, SPEC_PATH

# A manifest's entry: "POST /workspaces/{workspaceId}/reports/summary (reports host)", its
# path perhaps with the query the call sends ("...entities/created?type=TAGS").
_ENTRY = re.compile(
    r"(?P<method>[A-Z]+) (?P<path>/[^?\s]*)(?:\?\S*)?(?P<reports> \(reports host\))?"
)
_HOSTS = {"api": "https://api.clockify.me/api/v1", "reports": "https://reports.api.clockify.me/v1"}
_IDS = {
    "workspaceId": DEMO_WORKSPACE_ID,
    "projectId": SAMPLE_PROJECT_ID,
    "userId": DEMO_USER_ID,
    "id": SAMPLE_TIME_ENTRY_ID,
}
_OTHER_ID = "64b7c0de5eed00000000ffff"  # one the workspace does not have


def _parts(path: str) -> list[str]:
    """The path's segments, its parameters unnamed: manifests, the spec and the sandbox
    name them differently (`{workspaceId}`, `{workspace}`)."""
    return ["{}" if part.startswith("{") else part for part in path.strip("/").split("/")]


def _emulates(method: str, path: str, host: str) -> bool:
    """Whether a listed route serves the call, as the router matches: a parameter of the
    route takes any segment (`/entities/{kind}` serves `/entities/created`)."""
    wanted = _parts(path)
    return any(
        (route.method, route.host) == (method, host)
        and len(parts := _parts(route.path)) == len(wanted)
        and all(mine in ("{}", theirs) for mine, theirs in zip(parts, wanted, strict=True))
        for route in _ROUTES
    )


def _declared() -> list[tuple[str, str, str, str]]:
    """Each manifest's `clockify:` entries: (manifest, method, path, host)."""
    found = []
    manifests = [*ROOT.glob("actions/*/action.yaml"), *ROOT.glob("triggers/*/trigger.yaml")]
    for manifest in sorted(manifests):
        for entry in yaml.safe_load(manifest.read_text(encoding="utf-8")).get("clockify") or []:
            parsed = _ENTRY.fullmatch(entry)
            assert parsed is not None, f"{manifest.parent.name}: unreadable entry {entry!r}"
            host = "reports" if parsed["reports"] else "api"
            found.append((manifest.parent.name, parsed["method"], parsed["path"], host))
    return found


_DECLARED = _declared()
_ROUTES = emulated_routes()


@pytest.fixture
def api(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(transport=sandbox.transport(), headers={"X-Api-Key": DEMO_API_KEY}) as c:
        yield c


def test_the_manifests_declare_clockify_calls_on_both_hosts() -> None:
    assert len(_DECLARED) >= 30
    assert {host for *_, host in _DECLARED} == {"api", "reports"}


@pytest.mark.parametrize(("owner", "method", "path", "host"), _DECLARED)
def test_every_call_a_manifest_declares_is_emulated(
    api: httpx.Client, owner: str, method: str, path: str, host: str
) -> None:
    assert _emulates(method, path, host), owner
    url = _HOSTS[host] + re.sub(r"\{(\w+)\}", lambda m: _IDS.get(m[1], _OTHER_ID), path)
    answer = api.request(method, url, json={} if method in ("POST", "PUT", "PATCH") else None)
    shown: Any = answer.json() if answer.content else None
    assert answer.status_code not in (405, 501), (owner, answer.status_code, shown)
    assert "No static resource" not in str(shown), (owner, shown)


def test_every_route_of_the_spec_is_listed_as_emulated() -> None:
    spec = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    missing = [
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        for method in operations
        if not _emulates(
            method.upper(), path.removeprefix("/v1"), "reports" if "/reports/" in path else "api"
        )
    ]
    assert len(spec["paths"]) >= 40
    assert missing == []


def test_a_route_answered_not_emulated_is_not_listed(api: httpx.Client) -> None:
    answer = api.get(f"{_HOSTS['api']}/workspaces/{DEMO_WORKSPACE_ID}/user-groups")
    assert answer.status_code == 501
    assert not _emulates("GET", "/workspaces/{workspaceId}/user-groups", "api")


def test_each_route_is_listed_once_with_its_host() -> None:
    assert len(_ROUTES) == len(set(_ROUTES))
    assert EmulatedRoute("POST", "/workspaces/{workspace}/reports/summary", "reports") in _ROUTES
    assert EmulatedRoute("GET", "/user", "api") in _ROUTES
    assert not _emulates("POST", "/workspaces/{workspaceId}/reports/summary", "api")
