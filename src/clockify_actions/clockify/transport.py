"""The network transport the client uses when none is handed in: which proxy, which CA
certificates, and connections that end every operation by the attempt's deadline (see
`clockify.wall`). Imported only when a real connection is to be made.

Proxies are chosen here rather than by httpx from the environment: a request to this
machine never goes through one (a plain-http request would hand the key to the proxy in
clear); an https request uses `HTTPS_PROXY` or `ALL_PROXY` (`NO_PROXY` respected), whose
tunnel keeps the key end-to-end; plain http to another host, allowed only on request,
goes direct. A loopback name is connected to a loopback address, never to what a resolver
answers for it (see `clockify_actions.loopback`).

A request whose answer, if lost, is not sent again (a POST or PATCH, see `retry`) goes on
a connection of its own, never on a pooled one: a server may close an idle keep-alive
connection just as the request is written, and the write would then fail with an unknown
outcome though the server never received it. Everything else reuses pooled connections.
"""

from __future__ import annotations

import os
import ssl
import urllib.request
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from clockify_actions.clockify.wall import left
from clockify_actions.errors import ActionError, ErrorType
from clockify_actions.loopback import LoopbackPinned


def network_transport(
    base_url: str, *, is_loopback: bool, fresh_for: Callable[[str], bool] = lambda method: False
) -> httpx.BaseTransport:
    """A transport for `base_url` with the environment's CA settings and proxy rule;
    a request whose method `fresh_for` names goes on a new connection, closed after it.

    A setting that cannot be used (a proxy of an unknown or unsupported scheme, a CA file
    that does not exist) is a `config_error`; a proxy URL is never echoed, as it may carry
    a password.
    """
    try:
        ssl_context = _ssl_context()
    except (OSError, ssl.SSLError) as error:
        raise ActionError(
            ErrorType.CONFIG,
            "The CA certificates named by SSL_CERT_FILE or SSL_CERT_DIR cannot be loaded "
            f"({type(error).__name__}: {error.strerror or error}); fix or unset the variable.",
        ) from None
    proxy = None if is_loopback else _environment_proxy(base_url)
    pooled = _walled(ssl_context, proxy, httpx.Limits())
    fresh = _walled(ssl_context, proxy, httpx.Limits(max_keepalive_connections=0))
    return _FreshFor(fresh_for, pooled, fresh)


# One context per CA setting: loading the certificates takes about 20 ms, and a run that
# reads a report needs a transport for the API host and one for the reports host, a pool
# one per client. A context only verifies; sharing it shares nothing of a connection.
_SSL_CONTEXTS: dict[tuple[str | None, str | None], ssl.SSLContext] = {}


def _ssl_context() -> ssl.SSLContext:
    """The CA settings of the environment (`SSL_CERT_FILE`, `SSL_CERT_DIR`) as a context,
    made once per setting; a setting that cannot be loaded raises every time."""
    key = (os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))
    context = _SSL_CONTEXTS.get(key)
    if context is None:
        context = _SSL_CONTEXTS[key] = httpx.create_ssl_context(trust_env=True)
    return context


def _walled(
    ssl_context: ssl.SSLContext, proxy: str | None, limits: httpx.Limits
) -> httpx.HTTPTransport:
    try:
        transport = httpx.HTTPTransport(
            verify=ssl_context, proxy=proxy, trust_env=False, limits=limits
        )
    except (ValueError, ImportError, httpx.InvalidURL) as error:
        reason = (
            "SOCKS proxies need the socksio package (pip install 'httpx[socks]')"
            if isinstance(error, ImportError)
            else "use an http:// or https:// proxy URL"
        )
        raise ActionError(
            ErrorType.CONFIG,
            f"The proxy set in HTTPS_PROXY or ALL_PROXY ({_kind(proxy)}) cannot be used: "
            f"{reason}, or unset it.",
        ) from None
    # httpx offers no public way to hand httpcore a network backend; its pool keeps it here.
    pool = transport._pool
    pool._network_backend = _WalledBackend(LoopbackPinned(pool._network_backend))
    return transport


def _kind(url: str | None) -> str:
    """What the URL is, by its scheme alone: the rest may hold a password."""
    try:
        scheme = urlsplit(url or "").scheme or "unknown"
    except ValueError:  # e.g. an unclosed [ of an IPv6 host
        return "a malformed URL"
    return f"a {scheme!r} URL"


class _FreshFor(httpx.BaseTransport):
    """Sends a request whose method `fresh_for` names through `fresh` (a transport that
    keeps no connection alive), any other through `pooled`."""

    def __init__(
        self,
        fresh_for: Callable[[str], bool],
        pooled: httpx.BaseTransport,
        fresh: httpx.BaseTransport,
    ) -> None:
        self._fresh_for = fresh_for
        self._pooled = pooled
        self._fresh = fresh

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        transport = self._fresh if self._fresh_for(request.method) else self._pooled
        return transport.handle_request(request)

    def close(self) -> None:
        self._pooled.close()
        self._fresh.close()


def _environment_proxy(base_url: str) -> str | None:
    parts = urlsplit(base_url)
    if parts.scheme != "https":
        return None
    proxies = urllib.request.getproxies_environment()
    if urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    return proxies.get("https") or proxies.get("all") or None


class _WalledStream(httpcore.NetworkStream):
    """A connection whose every operation ends by the deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> _WalledStream:
        timeout = left(timeout, httpcore.ConnectTimeout)
        return _WalledStream(self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _WalledBackend(httpcore.NetworkBackend):
    """Opens connections that end every operation by the deadline."""

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> _WalledStream:
        timeout = left(timeout, httpcore.ConnectTimeout)
        return _WalledStream(
            self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        )

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> _WalledStream:
        timeout = left(timeout, httpcore.ConnectTimeout)
        return _WalledStream(self._inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)
