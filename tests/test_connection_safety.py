"""Where the key may go: never through a proxy to this machine, never with credentials in
the base URL, and a proxy or CA setting that cannot be used is a config error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from clockify_actions import Pack
from clockify_actions.clockify import ClientSettings, RetrySettings
from clockify_actions.clockify.transport import _environment_proxy
from loopback import ROGUE_ADDRESS, rogue_resolver, serving

KEY = "proxy-test-Kq93hTzP0wXy"
PROXY_VARIABLES = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"]
ONE_ATTEMPT = ClientSettings(requests_per_second=None, retry=RetrySettings(max_attempts=1))


@pytest.fixture(autouse=True)
def no_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def answer(body: bytes) -> Any:
    def behaviour(connection: Any, head: bytes) -> None:
        connection.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )

    return behaviour


def hang_up(connection: Any, head: bytes) -> None:
    connection.close()


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"])
def test_a_request_to_this_machine_never_goes_through_a_proxy(
    pack: Pack, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    with (
        serving(answer(b'[{"id": "proxy", "name": "Via the proxy"}]')) as (proxy, proxied),
        serving(answer(b'[{"id": "direct", "name": "Direct"}]')) as (clockify, received),
    ):
        monkeypatch.setenv(variable, proxy)
        result = pack.run(
            "list_workspaces", {}, api_key=KEY, base_url=clockify + "/api/v1", settings=ONE_ATTEMPT
        )
    assert proxied == [], "the proxy saw the request, and the key with it"
    assert [w["id"] for w in result["workspaces"]] == ["direct"]
    assert len(received) == 1


@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "ALL_PROXY"])
def test_an_https_request_may_use_the_environment_proxy_as_a_tunnel(
    pack: Pack, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    with serving(hang_up) as (proxy, proxied):
        monkeypatch.setenv(variable, proxy)
        result = pack.run("list_workspaces", {}, api_key=KEY, settings=ONE_ATTEMPT)
    assert result["error"]["type"] == "network_error"
    assert len(proxied) == 1
    assert proxied[0].startswith(b"CONNECT api.clockify.me:443 ")
    assert KEY.encode() not in proxied[0], "the key only travels inside the tunnel"


def test_no_proxy_is_respected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    assert _environment_proxy("https://api.clockify.me/api/v1") == "http://proxy.example:3128"
    assert _environment_proxy("http://clockify.example/api/v1") is None, "only https is proxied"
    monkeypatch.setenv("NO_PROXY", ".clockify.me")
    assert _environment_proxy("https://api.clockify.me/api/v1") is None


@pytest.mark.parametrize(
    "proxy",
    [
        "garbage://x",
        "socks5://127.0.0.1:1080",
        "http://user:hunter2@proxy.example:notaport",
        "socks5://user:hunter2@127.0.0.1:1080",
    ],
)
@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "ALL_PROXY"])
def test_a_proxy_that_cannot_be_used_is_a_config_error(
    pack: Pack, monkeypatch: pytest.MonkeyPatch, variable: str, proxy: str
) -> None:
    monkeypatch.setenv(variable, proxy)
    result = pack.run("list_workspaces", {}, api_key=KEY, settings=ONE_ATTEMPT)
    error = result["error"]
    assert error["type"] == "config_error"
    assert "HTTPS_PROXY or ALL_PROXY" in error["message"]
    assert "hunter2" not in json.dumps(result), "a proxy's password is never echoed"


def test_a_ca_file_that_does_not_exist_is_a_config_error(
    pack: Pack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", "/nowhere/ca.pem")
    result = pack.run("list_workspaces", {}, api_key=KEY, settings=ONE_ATTEMPT)
    assert result["error"]["type"] == "config_error"
    assert "SSL_CERT_FILE" in result["error"]["message"]


PASSWORD = "s3cretPW-7hq"
CREDENTIALED = [
    f"http://alice:{PASSWORD}@127.0.0.1:9/api/v1",
    f"https://alice:{PASSWORD}@api.clockify.me/api/v1",
    f"https://{PASSWORD}@api.clockify.me/api/v1",
]


def cli(*args: str, stdin: str = "{}", env: dict[str, str] | None = None) -> tuple[int, str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLOCKIFY_")}
    environment.update({"CLOCKIFY_API_KEY": KEY, **(env or {})})
    result = subprocess.run(
        [sys.executable, "-m", "clockify_actions", *args],
        input=stdin.encode(),
        capture_output=True,
        env=environment,
        timeout=60,
    )
    return result.returncode, result.stdout.decode(), result.stderr.decode()


@pytest.mark.parametrize("base_url", CREDENTIALED)
@pytest.mark.parametrize("mode", [["-v"], ["--dry-run"], ["--dry-run", "-v"], []])
def test_a_base_url_with_credentials_is_refused_and_never_shown(
    base_url: str, mode: list[str]
) -> None:
    code, stdout, stderr = cli("run", "list_workspaces", "--base-url", base_url, *mode)
    document = json.loads(stdout)
    assert (code, document["error"]["type"]) == (2, "config_error")
    assert "user name or password" in document["error"]["message"]
    assert PASSWORD not in stdout + stderr


def test_a_base_url_with_credentials_from_the_environment_is_refused_unshown() -> None:
    code, stdout, stderr = cli(
        "run", "list_workspaces", "-v", env={"CLOCKIFY_BASE_URL": CREDENTIALED[1]}
    )
    assert (code, json.loads(stdout)["error"]["type"]) == (2, "config_error")
    assert PASSWORD not in stdout + stderr


@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "ALL_PROXY"])
def test_an_https_request_to_this_machine_never_goes_through_a_proxy_either(
    pack: Pack, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    # The server at the address speaks no TLS: the handshake ends at the short deadline.
    settings = ClientSettings(
        requests_per_second=None, retry=RetrySettings(max_attempts=1, deadline=0.5)
    )
    with serving(hang_up) as (proxy, proxied), serving(hang_up) as (clockify, _):
        monkeypatch.setenv(variable, proxy)
        result = pack.run(
            "list_workspaces",
            {},
            api_key=KEY,
            base_url=clockify.replace("http://", "https://") + "/api/v1",
            settings=settings,
        )
    assert result["error"]["type"] == "network_error"
    assert proxied == [], "a tunnel to this machine was asked of the proxy"


@pytest.mark.parametrize("host", ["evil.localhost", "localhost", "localhost.", "LocalHost"])
@pytest.mark.parametrize(
    ("action", "params", "path"),
    [
        ("list_workspaces", {}, b"/api/v1/workspaces"),
        (
            "summary_report",
            {
                "workspace_id": "64b7c0de5eed000000000b01",
                "start": "2026-01-01T00:00:00Z",
                "end": "2026-02-01T00:00:00Z",
            },
            b"/report/v1/workspaces/",
        ),
    ],
)
def test_a_loopback_name_reaches_this_machine_whatever_the_resolver_answers(
    pack: Pack,
    monkeypatch: pytest.MonkeyPatch,
    host: str,
    action: str,
    params: dict[str, Any],
    path: bytes,
) -> None:
    """The plain-http exemption for `*.localhost` holds only because the connection goes to
    a loopback address: a resolver that answers 10.9.9.9 for the name is never asked."""
    with serving(answer(b"[]")) as (here, received):
        connected = rogue_resolver(monkeypatch)
        port = here.rsplit(":", 1)[1]
        pack.run(
            action,
            params,
            api_key=KEY,
            base_url=f"http://{host}:{port}/api/v1",
            settings=ONE_ATTEMPT,
        )
    assert all(address[0] != ROGUE_ADDRESS for address in connected), connected
    assert connected, "nothing was connected to"
    assert len(received) == 1 and path in received[0].split(b"\r\n")[0]
    assert KEY.encode() in received[0], "the key went to this machine, and only there"
