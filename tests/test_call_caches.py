"""What a long-lived process keeps between runs changes nothing a run does: a connection
is still refused every time it is wrong, equal settings still share one pooled client,
the settings stay frozen values, and redaction's quick look still sees what JSON shows."""

from __future__ import annotations

import copy
import json
import math
import pickle
from typing import Any

import pytest

from clockify_actions import Pack
from clockify_actions.clockify import ClientSettings, RetrySettings
from clockify_actions.runtime import ClientPool
from clockify_actions.runtime.connection import client_settings
from clockify_actions.runtime.redact import _ENCODER, _encoded
from conftest import API_KEY
from fake_clockify import FakeClockify

WORKSPACES = [{"id": "a" * 24, "name": "Demo"}]


def test_a_refused_connection_is_refused_again_and_a_good_one_after_it_runs(
    pack: Pack, clockify: FakeClockify
) -> None:
    clockify.answer_everything(200, WORKSPACES)
    settings = ClientSettings(requests_per_second=None)
    insecure = "http://clockify.example/api/v1"
    for _ in range(2):
        refused = pack.run(
            "list_workspaces",
            {},
            api_key=API_KEY,
            base_url=insecure,
            settings=settings,
            transport=clockify.transport,
        )
        assert refused["status"] == "error"
        assert refused["error"]["type"] == "config_error"
    allowed = pack.run(
        "list_workspaces",
        {},
        api_key=API_KEY,
        base_url=insecure,
        allow_insecure=True,
        settings=settings,
        transport=clockify.transport,
    )
    assert allowed["status"] == "success"
    again = pack.run(
        "list_workspaces",
        {},
        api_key=API_KEY,
        base_url=insecure,
        settings=settings,
        transport=clockify.transport,
    )
    assert again["error"]["type"] == "config_error"
    assert len(clockify.sent) == 1


def test_a_missing_key_is_refused_every_time(
    pack: Pack, clockify: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLOCKIFY_API_KEY", raising=False)
    for _ in range(2):
        envelope = pack.run("list_workspaces", {}, transport=clockify.transport)
        assert envelope["error"]["type"] == "config_error"
    monkeypatch.setenv("CLOCKIFY_API_KEY", API_KEY)
    clockify.answer_everything(200, WORKSPACES)
    assert pack.run("list_workspaces", {}, transport=clockify.transport)["status"] == "success"


def test_equal_settings_share_a_pooled_client_and_different_ones_do_not(
    pack: Pack, clockify: FakeClockify
) -> None:
    clockify.answer_everything(200, WORKSPACES)
    pool = ClientPool()
    common: dict[str, Any] = {"api_key": API_KEY, "transport": clockify.transport}
    try:
        for settings in (
            ClientSettings(requests_per_second=None),
            ClientSettings(requests_per_second=None),  # equal, another object
        ):
            pack.run("list_workspaces", {}, clients=pool, settings=settings, **common)
        assert len(pool._clients) == 1
        pack.run(
            "list_workspaces",
            {},
            clients=pool,
            settings=ClientSettings(requests_per_second=None, page_size=10),
            **common,
        )
        pack.run(
            "list_workspaces",
            {},
            clients=pool,
            api_key="another-key-8fG2",
            transport=clockify.transport,
        )
        assert len(pool._clients) == 3
    finally:
        pool.close()


def test_settings_are_frozen_values() -> None:
    settings = ClientSettings(requests_per_second=None, retry=RetrySettings(max_attempts=2))
    same = ClientSettings(requests_per_second=None, retry=RetrySettings(max_attempts=2))
    assert settings == same and hash(settings) == hash(same)
    assert settings != ClientSettings(requests_per_second=None)
    assert settings != (None,)
    assert pickle.loads(pickle.dumps(settings)) == settings
    assert copy.deepcopy(settings) == settings
    assert repr(RetrySettings()) == (
        "RetrySettings(max_attempts=4, base_delay=0.5, max_delay=8.0, retry_after_cap=30.0, "
        "deadline=45.0)"
    )
    with pytest.raises(AttributeError):
        settings.page_size = 1
    with pytest.raises(AttributeError):
        settings.retry.max_attempts = 9


def test_retry_settings_come_from_the_environment_when_not_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLOCKIFY_RETRY_MAX_ATTEMPTS", "1")
    monkeypatch.setenv("CLOCKIFY_RETRY_DEADLINE", "2.5")
    retry = client_settings(None).retry
    assert (retry.max_attempts, retry.deadline) == (1, 2.5)
    assert isinstance(retry.max_attempts, int)
    # Resolved once per settings and environment, so that clients built with it are reused.
    assert client_settings(None) is client_settings(None)


@pytest.mark.parametrize(
    "value",
    [
        {"status": "success", "items": [{"name": "é ☃ \ud800", "n": 1.5, "ok": True}]},
        [1, None, "x", {"k": [math.inf, -math.inf]}],
        "a plain string",
        {"nested": {"deep": [[["key-ABCDEFGH"]]]}},
    ],
)
def test_the_quick_look_encodes_as_json_does(value: Any) -> None:
    assert _encoded(value) == _ENCODER.encode(value)


def test_redaction_still_finds_a_secret_after_many_runs(pack: Pack) -> None:
    redactor = pack.redactor(api_key=API_KEY)
    assert redactor is pack.redactor(api_key=API_KEY)
    hidden = redactor.data({"echo": f"key was {API_KEY.upper()[2:12]}!"})
    assert API_KEY.upper()[2:12] not in json.dumps(hidden)
