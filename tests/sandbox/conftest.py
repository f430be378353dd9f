"""Fixtures for the sandbox tests: a fresh state per test, reached over real HTTP and
in-process, with every response checked against Clockify's OpenAPI spec on the way."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from .sandbox_testkit import ROOT, SPEC_PATH, ClientFactory, SpecChecker, response_hook

if importlib.util.find_spec("clockify_actions") is None:  # the package is not installed
    sys.path.insert(0, str(ROOT / "src"))

from clockify_actions.sandbox import DB_ENV_VAR, DEMO_API_KEY, Sandbox


@pytest.fixture(autouse=True)
def _no_real_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever a test leaves out, the user's own sandbox file stays untouched."""
    monkeypatch.setenv(DB_ENV_VAR, str(tmp_path / "default.sqlite3"))


@pytest.fixture(scope="session")
def openapi_spec() -> dict[str, Any]:
    """Clockify's official spec, as far as the emulated routes' responses go."""
    spec: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return spec


@pytest.fixture(scope="session")
def spec_checker(openapi_spec: dict[str, Any]) -> SpecChecker:
    return SpecChecker(openapi_spec)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as opened:
        yield opened


@pytest.fixture(params=["http", "in-process"])
def connect(
    request: pytest.FixtureRequest, sandbox: Sandbox, spec_checker: SpecChecker
) -> Iterator[ClientFactory]:
    """Makes clients of the sandbox, over a real socket or the in-process transport."""
    clients: list[httpx.Client] = []

    def make(api_key: str | None = DEMO_API_KEY, **options: Any) -> httpx.Client:
        if request.param == "http":
            base_url, transport = sandbox.serve().base_url, None
        else:
            base_url, transport = "https://api.clockify.me/api/v1", sandbox.transport()
        headers = {"X-Api-Key": api_key} if api_key is not None else {}
        client = httpx.Client(
            base_url=base_url,
            transport=transport,
            headers=headers,
            timeout=options.pop("timeout", 10.0),
            event_hooks={"response": [response_hook(spec_checker)]},
            **options,
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def api(connect: ClientFactory) -> httpx.Client:
    """The demo user's client, over each transport in turn."""
    return connect()
