"""The traffic log: who asked and exactly when, for checking rate limits from outside."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from clockify_actions.sandbox import DEMO_API_KEY, OTHER_API_KEY, Sandbox
from clockify_actions.sandbox.traffic import ENV_VAR, key_digest, read_traffic


def test_each_request_is_logged_with_its_keys_digest_and_arrival(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "traffic.jsonl"
    monkeypatch.setenv(ENV_VAR, str(log))
    before = time.time()
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as sandbox, sandbox.serve() as server:
        for key in (DEMO_API_KEY, OTHER_API_KEY, "not-a-key"):
            httpx.get(f"{server.base_url}/user", headers={"X-Api-Key": key})
    traffic = read_traffic(log)
    assert [(t.key, t.method, t.path, t.status) for t in traffic] == [
        (key_digest(DEMO_API_KEY), "GET", "/api/v1/user", 200),
        (key_digest(OTHER_API_KEY), "GET", "/api/v1/user", 200),
        (key_digest("not-a-key"), "GET", "/api/v1/user", 401),
    ]
    assert before <= traffic[0].at <= traffic[1].at <= traffic[2].at <= time.time()
    assert DEMO_API_KEY not in log.read_text()
