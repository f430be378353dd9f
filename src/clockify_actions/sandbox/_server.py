"""The sandbox over real HTTP: a threading server on its own thread."""

from __future__ import annotations

import json
import logging
import re
import socket
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from ._http import Exchange, Request, Response

log = logging.getLogger("clockify_actions.sandbox")

_SHUTDOWN_POLL_S = 0.05  # how soon close() returns
_TIMEOUT_S = 10.0  # how long a `timeout` fault holds the connection when it names no seconds
# Clockify's own limit is unknown; this only keeps a client from making the sandbox read
# without end. A project's longest field, its note, is 16,384 characters.
_MAX_BODY_BYTES = 1 << 20
_MAX_LINE_BYTES = 1 << 16  # a chunk-size or trailer line
_MAX_TRAILERS = 100
_CHUNK_SIZE = re.compile(rb"[0-9a-fA-F]+")


class _Unreadable(Exception):
    """A request body that cannot be read; the connection cannot be reused after it."""

    def __init__(self, status: HTTPStatus) -> None:
        super().__init__(status.phrase)
        self.status = status


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
        try:
            body = self._body()
        except _Unreadable as error:
            # Answered by Clockify's front end, whose real reply is unknown: the status's
            # phrase in Clockify's error shape.
            status = error.status
            self.close_connection = True
            message = json.dumps({"message": status.phrase, "code": status.value})
            self._send(Response.json(status.value, message, {"Connection": "close"}))
            return
        path, _, query = self.path.partition("?")
        exchange = self.server.answer(
            Request(
                method=self.command,
                path=path,
                query=query,
                headers={name.lower(): value for name, value in self.headers.items()},
                body=body,
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
        self._send(response)

    def _send(self, response: Response) -> None:
        self._date = response.headers.get("Date")
        self.send_response(response.status)
        for name, value in response.headers.items():
            if name != "Date":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def date_time_string(self, timestamp: float | None = None) -> str:
        # The answer's own Date, by the sandbox's clock, instead of this machine's.
        date: str | None = self.__dict__.pop("_date", None)
        return date or super().date_time_string(timestamp)

    def _body(self) -> bytes:
        """The request body, sent with Content-Length or chunked (which wins over a length,
        as HTTP/1.1 says)."""
        coding = self.headers.get("Transfer-Encoding")
        if coding is not None:
            if coding.strip().lower() != "chunked":
                raise _Unreadable(HTTPStatus.NOT_IMPLEMENTED)
            return self._chunks()
        length = (self.headers.get("Content-Length") or "0").strip()
        if not length.isascii() or not length.isdigit():
            raise _Unreadable(HTTPStatus.BAD_REQUEST)
        if int(length) > _MAX_BODY_BYTES:
            raise _Unreadable(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        body = self.rfile.read(int(length))
        if len(body) < int(length):
            raise _Unreadable(HTTPStatus.BAD_REQUEST)
        return body

    def _chunks(self) -> bytes:
        body = bytearray()
        while True:
            size_text = self._line().split(b";", 1)[0].strip()  # chunk extensions are ignored
            if not _CHUNK_SIZE.fullmatch(size_text):
                raise _Unreadable(HTTPStatus.BAD_REQUEST)
            size = int(size_text, 16)
            if size == 0:
                break
            if len(body) + size > _MAX_BODY_BYTES:
                raise _Unreadable(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
            chunk = self.rfile.read(size)
            if len(chunk) < size or self._line().strip():
                raise _Unreadable(HTTPStatus.BAD_REQUEST)
            body += chunk
        for _ in range(_MAX_TRAILERS):
            if not self._line().strip():  # trailer fields end at an empty line, and are ignored
                return bytes(body)
        raise _Unreadable(HTTPStatus.BAD_REQUEST)

    def _line(self) -> bytes:
        line = self.rfile.readline(_MAX_LINE_BYTES + 1)
        if len(line) > _MAX_LINE_BYTES or not line.endswith(b"\n"):
            raise _Unreadable(HTTPStatus.BAD_REQUEST)
        return line

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def log_message(self, format: str, *args: object) -> None:
        log.info("%s %s", self.address_string(), format % args)


class SandboxServer:
    """A running server; `base_url` ends in `/api/v1`, `reports_base_url` (the reports
    host's root, as Clockify's regional hosts write it) in `/report/v1`. Close it, or use it
    as a context."""

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
    def root_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/api/v1"

    @property
    def reports_base_url(self) -> str:
        return f"{self.root_url}/report/v1"

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
