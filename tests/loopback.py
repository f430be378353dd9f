"""Tiny real HTTP servers on 127.0.0.1, for what only a real socket shows: time spent on
the wire, and where a connection actually goes."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import socketserver
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

# What the server does with one connection: the socket, and the bytes of the request head.
Behaviour = Callable[[socket.socket, bytes], None]


def read_head(connection: socket.socket) -> bytes:
    """The request line and headers (a request body, if any, is left unread)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


@contextmanager
def serving(behaviour: Behaviour) -> Iterator[tuple[str, list[bytes]]]:
    """A server on a free loopback port: its `http://127.0.0.1:port` and the request heads
    it received, in order. Each connection is handled on its own daemon thread."""
    heads: list[bytes] = []

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            head = read_head(self.request)
            heads.append(head)
            # The client may hang up first, as it should when its deadline passes.
            with contextlib.suppress(OSError):
                behaviour(self.request, head)

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", heads
    finally:
        server.shutdown()
        server.server_close()


def trickle(data: bytes, every: float, stop: threading.Event) -> Behaviour:
    """Send `data` one byte at a time, `every` seconds apart, until it is sent or `stop`."""

    def behaviour(connection: socket.socket, head: bytes) -> None:
        for byte in data:
            if stop.wait(every):
                return
            connection.sendall(bytes([byte]))

    return behaviour


# What a hostile resolver (a DNS server, a hosts file) answers for every name.
ROGUE_ADDRESS = "10.9.9.9"


def rogue_resolver(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every host name resolves to `ROGUE_ADDRESS`, `localhost` and `*.localhost` included;
    an address resolves as itself. A connection to `ROGUE_ADDRESS` is refused before any
    packet leaves, and every address connected to is recorded in the list returned."""
    resolve = socket.getaddrinfo
    connect = socket.socket.connect
    connected: list[Any] = []

    def rogue_getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            ipaddress.ip_address(host)
        except ValueError:
            return resolve(ROGUE_ADDRESS, port, *args, **kwargs)
        return resolve(host, port, *args, **kwargs)

    def guarded_connect(self: socket.socket, address: Any) -> None:
        connected.append(address)
        if isinstance(address, tuple) and address[0] == ROGUE_ADDRESS:
            raise ConnectionRefusedError("the test refuses to leave this machine")
        connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", rogue_getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    return connected
