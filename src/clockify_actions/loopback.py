"""Whether a host is this machine, and connections that make it so: the one rule the client
(plain http, no proxy) and the sandbox (where it may deliver webhooks) both go by.

"This machine" is decided by the address connected to, not by what a name looks like.
`localhost` and the `*.localhost` names are this machine by RFC 6761, but the system
resolver decides where they go, and a resolver (a hosts file, a DNS server) may answer
10.9.9.9 for `evil.localhost`. So such a name is never handed to the resolver:
`LoopbackPinned` connects it to 127.0.0.1, or else ::1, and every other host as asked.
A loopback address is connected to as it is.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

# Where a loopback name is connected, in order: IPv4's loopback first, as `localhost`
# resolves on most systems, then IPv6's for a server that listens on ::1 only.
LOOPBACK_ADDRESSES = ("127.0.0.1", "::1")


def loopback_addresses(host: str) -> tuple[str, ...]:
    """The addresses a connection to `host` goes to when `host` is this machine: the
    loopback address itself, or both loopback addresses for `localhost`, `localhost.` and
    a `*.localhost` name; empty for any other host, which might resolve anywhere."""
    host = host.lower()
    name = host[:-1] if host.endswith(".") else host
    if name == "localhost" or name.endswith(".localhost"):
        return LOOPBACK_ADDRESSES
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return ()
    return (str(address),) if address.is_loopback else ()


def is_loopback_host(host: str) -> bool:
    """Whether a connection to `host` goes to this machine (see `LoopbackPinned`)."""
    return bool(loopback_addresses(host))


class LoopbackPinned(httpcore.NetworkBackend):
    """A network backend that connects a loopback name to a loopback address, never to
    what a resolver answers for it; any other host is connected as the inner backend does."""

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = loopback_addresses(host) or (host,)
        for address in addresses[:-1]:
            try:
                return self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError:
                continue  # nothing listens there: try the next loopback address
        return self._inner.connect_tcp(addresses[-1], port, timeout, local_address, socket_options)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        return self._inner.connect_unix_socket(path, timeout, socket_options)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def pin_loopback(transport: httpx.HTTPTransport) -> httpx.HTTPTransport:
    """`transport` (an `httpx.HTTPTransport`) with its connections made by `LoopbackPinned`.

    httpx offers no public way to hand httpcore a network backend; its pool keeps it here."""
    pool = transport._pool
    pool._network_backend = LoopbackPinned(pool._network_backend)
    return transport
