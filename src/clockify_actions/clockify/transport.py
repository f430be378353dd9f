"""The network transport the client uses when none is handed in: which proxy, which CA
certificates, and connections that end every operation by the attempt's deadline (see
`clockify.wall`). Imported only when a real connection is to be made.

Proxies are chosen here rather than by httpx from the environment: a request to this
machine never goes through one (a plain-http request would hand the key to the proxy in
clear); an https request uses `HTTPS_PROXY` or `ALL_PROXY` (`NO_PROXY` respected), whose
tunnel keeps the key end-to-end; plain http to another host, allowed only on request,
goes direct.
"""

from __future__ import annotations

import ssl
import urllib.request
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from clockify_actions.clockify.wall import left
from clockify_actions.errors import ActionError, ErrorType


def network_transport(base_url: str, *, is_loopback: bool) -> httpx.BaseTransport:
    """A transport for `base_url` with the environment's CA settings and proxy rule.

    A setting that cannot be used (a proxy of an unknown or unsupported scheme, a CA file
    that does not exist) is a `config_error`; a proxy URL is never echoed, as it may carry
    a password.
    """
    try:
        ssl_context = httpx.create_ssl_context(trust_env=True)
    except (OSError, ssl.SSLError) as error:
        raise ActionError(
            ErrorType.CONFIG,
            "The CA certificates named by SSL_CERT_FILE or SSL_CERT_DIR cannot be loaded "
            f"({type(error).__name__}: {error.strerror or error}); fix or unset the variable.",
        ) from None
    proxy = None if is_loopback else _environment_proxy(base_url)
    try:
        transport = httpx.HTTPTransport(verify=ssl_context, proxy=proxy, trust_env=False)
    except (ValueError, ImportError, httpx.InvalidURL) as error:
        scheme = urlsplit(proxy or "").scheme or "unknown"
        reason = (
            "SOCKS proxies need the socksio package (pip install 'httpx[socks]')"
            if isinstance(error, ImportError)
            else "use an http:// or https:// proxy URL"
        )
        raise ActionError(
            ErrorType.CONFIG,
            f"The proxy set in HTTPS_PROXY or ALL_PROXY (a {scheme!r} URL) cannot be used: "
            f"{reason}, or unset it.",
        ) from None
    # httpx offers no public way to hand httpcore a network backend; its pool keeps it here.
    pool = transport._pool
    pool._network_backend = _WalledBackend(pool._network_backend)
    return transport


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
