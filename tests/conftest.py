from __future__ import annotations

import logging
import shutil
import socket
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from clockify_actions import Pack, load_pack
from clockify_actions.clockify import ClientSettings, RetrySettings
from fake_clockify import FakeClockify

NOW = datetime(2026, 1, 28, 11, 30, tzinfo=UTC)
API_KEY = "test-key-Zq8vW2pL9xR4"

# Retries in unit tests wait microseconds, not seconds.
FAST = ClientSettings(
    requests_per_second=None,
    retry=RetrySettings(base_delay=0.0001, max_delay=0.0002, retry_after_cap=0.001),
)


@pytest.fixture(scope="session")
def pack() -> Pack:
    return load_pack()


@pytest.fixture
def clockify() -> FakeClockify:
    return FakeClockify()


Run = Callable[..., dict[str, Any]]


@pytest.fixture
def run(pack: Pack, clockify: FakeClockify) -> Run:
    """Run an action against the scripted Clockify, at a fixed `now`."""

    def _run(name: str, params: Any, **options: Any) -> dict[str, Any]:
        options.setdefault("api_key", API_KEY)
        options.setdefault("settings", FAST)
        options.setdefault("clock", lambda: NOW)
        return pack.run(name, params, transport=clockify.transport, **options)

    return _run


@pytest.fixture
def network_attempts(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every attempt to resolve a host or open a socket, each refused."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("the network is closed to this test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    """A copy of the pack's files, laid out as the wheel ships them, away from the checkout."""
    root = tmp_path / "pack"
    source = Path(__file__).resolve().parents[1]
    for name in ("actions", "triggers", "schemas"):
        shutil.copytree(source / name, root / name)
    shutil.copy(source / "manifest.yaml", root / "manifest.yaml")
    return root


@pytest.fixture(autouse=True)
def _pack_logging_as_it_was() -> Iterator[None]:
    """A command run in process sets the pack's logger (its stderr handler redacts every
    record it sees, tracebacks included); later tests get it back as it was."""
    logger = logging.getLogger("clockify_actions")
    handlers, level = logger.handlers[:], logger.level
    yield
    logger.handlers[:] = handlers
    logger.setLevel(level)
