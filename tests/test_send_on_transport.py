"""Requests go straight onto the client's transport: none of `httpx.Client.send`'s cookie
jar, auth flow, hooks or redirect handling, which Clockify's API never uses, is in the
way, and every safety of the transport and the client still applies (their own tests)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from clockify_actions import Pack
from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.workspaces.wire import Workspace
from conftest import API_KEY, FAST, Run
from fake_clockify import WS, FakeClockify


def test_a_run_never_goes_through_httpx_client_send(
    run: Run, clockify: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("httpx.Client.send was used")

    monkeypatch.setattr(httpx.Client, "send", refuse)
    clockify.answer("GET", "/workspaces", body=[{"id": WS, "name": "Acme"}])
    result = run("list_workspaces", {})
    assert result["status"] == "success", result
    assert clockify.only.headers["x-api-key"] == API_KEY
    assert clockify.only.headers["accept"] == "application/json"
    assert clockify.only.headers["user-agent"].startswith("clockify-actions/")


def test_a_cookie_clockify_sets_is_never_sent_back(run: Run, clockify: FakeClockify) -> None:
    """The pack keeps no cookie: every request carries the key and nothing a server or a
    load balancer placed in a jar."""
    for _ in range(2):
        clockify.answer(
            "GET",
            "/workspaces",
            body=[{"id": WS, "name": "Acme"}],
            headers={"set-cookie": "AWSALB=sticky; Path=/"},
        )
    assert run("list_workspaces", {})["status"] == "success"
    assert run("list_workspaces", {}, clients=None)["status"] == "success"
    assert all("cookie" not in sent.headers for sent in clockify.sent)


def test_a_pooled_client_keeps_no_cookie_between_runs(pack: Pack, clockify: FakeClockify) -> None:
    from clockify_actions.runtime import ClientPool

    pool = ClientPool()
    for _ in range(2):
        clockify.answer(
            "GET",
            "/workspaces",
            body=[{"id": WS, "name": "Acme"}],
            headers={"set-cookie": "session=abc; Path=/"},
        )
    for _ in range(2):
        result = pack.run(
            "list_workspaces",
            {},
            api_key=API_KEY,
            settings=FAST,
            transport=clockify.transport,
            clients=pool,
        )
        assert result["status"] == "success", result
    pool.close()
    assert [sent.headers.get("cookie") for sent in clockify.sent] == [None, None]


def test_a_closed_client_sends_nothing(clockify: FakeClockify) -> None:
    client = ClockifyClient(
        API_KEY, "https://api.clockify.me/api/v1", settings=FAST, transport=clockify.transport
    )
    client.close()
    with pytest.raises(RuntimeError):
        client.get_list("/workspaces", Workspace)
    assert clockify.sent == []


def test_a_url_asked_for_again_is_not_parsed_again(
    pack: Pack, clockify: FakeClockify, monkeypatch: pytest.MonkeyPatch
) -> None:
    """httpx checks a URL character by character: a pooled client asking for the same
    route again reuses the URL it parsed (an httpx.URL never changes)."""
    import httpx._urls

    from clockify_actions.runtime import ClientPool

    parsed: list[str] = []
    real = httpx._urls.urlparse

    def counting(url: str = "", **kwargs: Any) -> Any:
        parsed.append(url)
        return real(url, **kwargs)

    monkeypatch.setattr(httpx._urls, "urlparse", counting)
    pool = ClientPool()
    options: dict[str, Any] = {
        "api_key": API_KEY,
        "settings": FAST,
        "transport": clockify.transport,
        "clients": pool,
    }
    for _ in range(3):
        clockify.answer("GET", "/workspaces", body=[{"id": WS, "name": "Acme"}])
    first = pack.run("list_workspaces", {}, **options)
    before = len(parsed)
    later = [pack.run("list_workspaces", {}, **options) for _ in range(2)]
    pool.close()
    assert all(result["status"] == "success" for result in [first, *later])
    assert not [url for url in parsed[before:] if url.endswith("/workspaces")]


def test_the_ca_certificates_are_loaded_once_per_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Loading the CA certificates takes about 20 ms: the API host's transport, the
    reports host's and every pooled client's share one context per CA setting."""
    from clockify_actions.clockify import transport

    made: list[bool] = []
    real = httpx.create_ssl_context

    def counting(*args: Any, **kwargs: Any) -> Any:
        made.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(httpx, "create_ssl_context", counting)
    monkeypatch.setattr(transport, "_SSL_CONTEXTS", {})
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    clients = [ClockifyClient(API_KEY, "https://api.clockify.me/api/v1") for _ in range(3)]
    for client in clients:
        client._http_for(reports=True)  # the reports host's transport, made when first used
        client.close()
    assert len(made) == 1
