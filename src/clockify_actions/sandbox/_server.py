"""The sandbox over real HTTP: a threading server on its own thread."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from ._http import Exchange, Request

log = logging.getLogger("clockify_actions.sandbox")

_SHUTDOWN_POLL_S = 0.05  # how soon close() returns
_TIMEOUT_S = 10.0  # how long a `timeout` fault holds the connection when it names no seconds


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # A thread held by a timeout fault must not hold up close().
    block_on_close = False

    def __init__(self, address: tuple[str, int], handle: Callable[[Request], Exchange]) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, _Handler)
        self.answer = handle


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as clients expect of an API
    # Headers and body leave in separate writes; with Nagle on, each answer waits for an ACK.
    disable_nagle_algorithm = True
    server_version = "clockify-sandbox"
    sys_version = ""
    server: _Server

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        path, _, query = self.path.partition("?")
        exchange = self.server.answer(
            Request(
                method=self.command,
                path=path,
                query=query,
                headers={name.lower(): value for name, value in self.headers.items()},
                body=self.rfile.read(length) if length else b"",
            )
        )
        response, fault = exchange.response, exchange.fault
        if response is None:
            assert fault is not None
            if fault.action == "timeout":
                time.sleep(_TIMEOUT_S if fault.seconds is None else fault.seconds)
            log.info('"%s" dropped by a %s fault', self.requestline, fault.action)
            self.close_connection = True
            return
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def log_message(self, format: str, *args: object) -> None:
        log.info("%s %s", self.address_string(), format % args)


class SandboxServer:
    """A running server; `base_url` ends in `/api/v1`. Close it, or use it as a context."""

    def __init__(self, handle: Callable[[Request], Exchange], host: str, port: int) -> None:
        self._httpd = _Server((host, port), handle)
        self.host = host
        self.port: int = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            args=(_SHUTDOWN_POLL_S,),
            name=f"clockify-sandbox:{self.port}",
            daemon=True,
        )
        self._thread.start()

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/api/v1"

    def close(self) -> None:
        if self._thread.is_alive():
            self._httpd.shutdown()
            self._thread.join()
        self._httpd.server_close()

    def __enter__(self) -> SandboxServer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
