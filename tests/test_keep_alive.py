"""Writes and keep-alive: a server may close an idle keep-alive connection at any moment,
as the write is being sent. A write that Clockify never received must not come back as
"may or may not have been applied", so a write never goes on a pooled connection."""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from clockify_actions.clockify import ClockifyClient
from clockify_actions.clockify.retry import RetrySettings
from clockify_actions.clockify.settings import ClientSettings
from clockify_actions.resources.workspaces.models import Workspace

KEY = "keep-alive-test-Hq2mT8vX"
ONE_ATTEMPT = ClientSettings(requests_per_second=None, retry=RetrySettings(max_attempts=1))
WORKSPACE = b'{"id": "64b7c0de5eed000000000b01", "name": "My Workspace"}'


class Seen:
    def __init__(self) -> None:
        self.connections = 0
        self.requests: list[bytes] = []
        self.lock = threading.Lock()


def _read_request(connection: socket.socket, pending: bytes) -> tuple[bytes, bytes] | None:
    """The request line of the next request and the bytes after it; None at end of input."""
    while b"\r\n\r\n" not in pending:
        chunk = connection.recv(65536)
        if not chunk:
            return None
        pending += chunk
    head, _, rest = pending.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(rest) < length:
        rest += connection.recv(65536)
    return head.split(b"\r\n")[0], rest[length:]


@contextmanager
def keep_alive_server(close_after_answer: bool) -> Iterator[tuple[str, Seen]]:
    """A server that answers every request with a keep-alive 200 (no `Connection: close`);
    with `close_after_answer`, it then closes the connection at once, as a server whose
    idle timeout is shorter than the client's pause does."""
    seen = Seen()

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            with seen.lock:
                seen.connections += 1
            pending = b""
            while True:
                read = _read_request(self.request, pending)
                if read is None:
                    return
                line, pending = read
                with seen.lock:
                    seen.requests.append(line)
                self.request.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + f"Content-Length: {len(WORKSPACE)}\r\n\r\n".encode()
                    + WORKSPACE
                )
                if close_after_answer:
                    return

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v1", seen
    finally:
        server.shutdown()
        server.server_close()


def _client(url: str) -> ClockifyClient:
    return ClockifyClient(KEY, url, settings=ONE_ATTEMPT)


def test_no_write_is_lost_to_a_keep_alive_connection_the_server_has_closed() -> None:
    with keep_alive_server(close_after_answer=True) as (url, seen), _client(url) as client:
        failures = []
        for number in range(40):
            try:
                client.post("/workspaces", {"name": f"W{number}"}, Workspace)
            except Exception as error:  # counted, then shown
                failures.append(error)
    assert failures == []
    assert len(seen.requests) == 40


Send = Callable[[ClockifyClient], object]
SENDS: dict[str, Send] = {
    "POST": lambda client: client.post("/workspaces", {"name": "W"}, Workspace),
    "PATCH": lambda client: client.patch("/workspaces/w", {"name": "W"}, Workspace),
}


def test_each_write_has_a_connection_of_its_own_while_reads_share_one() -> None:
    with keep_alive_server(close_after_answer=False) as (url, seen), _client(url) as client:
        for _ in range(3):
            client.get("/workspaces/w", Workspace)
        reads = seen.connections
        for send in SENDS.values():
            for _ in range(2):
                send(client)
    assert reads == 1, "reads reuse the pooled connection"
    assert seen.connections == reads + 2 * len(SENDS)
