"""`clockify-actions serve --http`: the worker over HTTP, for every platform with an HTTP
request node (n8n, Node-RED, Make, Zapier's webhooks, Power Automate, a plain `curl`).

Routes (every one but `/health` needs `Authorization: Bearer <token>`):

- `POST /actions/{name}`: the body is the action's input object; the answer is its
  envelope, with the status code `STATUS_FOR_ERROR` gives its error type (200 for a
  success);
- `POST /triggers/{name}`: the body is `{"params": {...}, "state": {...}}` (no state the
  first time); the answer is the poll's envelope, whose `state` the caller keeps once it
  has handled the events;
- `GET /actions`, `GET /actions/{name}`, `GET /triggers/{name}`: the pack's metadata, from
  `Pack.describe`, to build forms from;
- `GET /health`: `{"status": "ok"}`, without a token, for a load balancer's probe.

The Clockify key is the worker's own (its environment, `--api-key-file`): a request can
neither send one (the input is checked against the action's parameters, which have no
key) nor get it back (every answer is redacted). The token is generated at the start and
printed in the banner on stdout, or read from `--token-file`.

Bodies are bounded: one whose Content-Length is over `MAX_BODY_BYTES` is refused (413)
before a byte of it is read, and one without a length is cut off there. Runs are bounded:
at most `concurrency` at a time, each on a worker thread with Clockify clients of its own;
connections beyond `concurrency * CONNECTIONS_PER_RUN` are answered 503 by the server.

The server is uvicorn, the optional `http` extra, imported only here and only when the
server starts: neither the core install nor the other commands pay for it.
"""

from __future__ import annotations

import hmac
import json
import queue
import re
import secrets
import socket
from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from typing import Any

from clockify_actions import jsonio
from clockify_actions.errors import ActionError, ErrorType
from clockify_actions.runtime import ClientPool, Pack, Redactor, refused_before_sending

INSTALL = "pip install 'clockify-actions[http]'"
MAX_BODY_BYTES = 1024 * 1024
# How long a client may take to send its body once its headers are in.
BODY_SECONDS = 30.0
# Idle keep-alive connections are closed after this long.
KEEP_ALIVE_SECONDS = 5
CONNECTIONS_PER_RUN = 4
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})

# An envelope's status code, by its error type: what an HTTP node's "on error" branch and
# retry setting go by. A success is 200.
STATUS_FOR_ERROR: dict[str, int] = {
    ErrorType.VALIDATION: 422,
    ErrorType.CONFIG: 500,
    ErrorType.AUTH: 401,
    ErrorType.PERMISSION: 403,
    ErrorType.NOT_FOUND: 404,
    ErrorType.CONFLICT: 409,
    ErrorType.REJECTED: 422,
    ErrorType.RATE_LIMITED: 429,
    ErrorType.UPSTREAM: 502,
    ErrorType.NETWORK: 504,
    ErrorType.CONTRACT: 502,
    ErrorType.INTERNAL: 500,
}

_ROUTE = re.compile(r"^/(actions|triggers)(?:/([A-Za-z0-9_]+))?/?$")

Send = Callable[[dict[str, Any]], Awaitable[None]]
Receive = Callable[[], Awaitable[dict[str, Any]]]


class Refused(Exception):
    """A request refused before any action runs: its status code and its error."""

    def __init__(self, status: int, kind: ErrorType, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error = ActionError(kind, message)


def status_for(envelope: Mapping[str, Any]) -> int:
    if envelope.get("status") != "error":
        return 200
    return STATUS_FOR_ERROR.get(envelope["error"]["type"], 500)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def read_token_file(path: str) -> str:
    try:
        with open(path, "rb") as stream:
            token = stream.read(4097).decode("utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise ActionError(ErrorType.CONFIG, f"Cannot read --token-file {path}: {error}.") from None
    if len(token) < 16 or len(token) > 4096 or any(c.isspace() for c in token):
        raise ActionError(
            ErrorType.CONFIG,
            f"--token-file {path} must hold one token of 16 to 4096 characters on one line.",
        )
    return token


def check_binding(host: str, *, allow_remote: bool, tls: bool, behind_proxy: bool) -> None:
    """Loopback by default; any other address only when asked for, and only with TLS or
    behind a reverse proxy that terminates it: the bearer token must not cross a network
    in clear text."""
    if host in LOOPBACK_HOSTS:
        return
    if not allow_remote:
        raise ActionError(
            ErrorType.CONFIG,
            f"--host {host} is not this machine: add --allow-remote to listen beyond "
            "loopback (with --tls-cert and --tls-key, or --behind-proxy).",
        )
    if not (tls or behind_proxy):
        raise ActionError(
            ErrorType.CONFIG,
            "--allow-remote needs --tls-cert and --tls-key, or --behind-proxy for a reverse "
            "proxy that terminates TLS in front of this worker.",
        )


class HttpWorker:
    """The ASGI application: routes, the token, bounded bodies and bounded runs."""

    def __init__(
        self, pack: Pack, connection: Mapping[str, Any], token: str, concurrency: int
    ) -> None:
        import anyio

        self.pack = pack
        self.connection = dict(connection)
        # The sandbox's clock, which a trigger's windows follow; actions keep the real one.
        poll_clock = self.connection.pop("poll_clock", None)
        self.poll_connection = (
            self.connection if poll_clock is None else {**self.connection, "clock": poll_clock}
        )
        self.token = token.encode("utf-8")
        self.redactor: Redactor = pack.redactor(api_key=connection.get("api_key"))
        self.limiter = anyio.CapacityLimiter(concurrency)
        # One pool of Clockify clients per run under way: a client counts the writes of
        # the one run using it (see execution.py), so two runs never share one.
        self.pools: queue.SimpleQueue[ClientPool] = queue.SimpleQueue()
        self.all_pools = [ClientPool() for _ in range(concurrency)]
        for pool in self.all_pools:
            self.pools.put(pool)

    def close(self) -> None:
        for pool in self.all_pools:
            pool.close()

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # lifespan is off; websockets are not served
        try:
            status, document = await self.answer(scope, receive)
        except Refused as refused:
            # A writing action's refusal says that nothing was sent, as every failure of a
            # writing action says what became of its write.
            writes = scope["method"] == "POST" and self.writes(scope["path"])
            status = refused.status
            document = refused_before_sending(refused.error, writes=writes).envelope()
        except Exception as error:  # the last resort: an envelope, never a traceback
            status = 500
            document = ActionError(
                ErrorType.INTERNAL, f"Internal error: {type(error).__name__}: {error}"
            ).envelope()
        # An envelope is redacted, as every command's output; the pack's metadata holds
        # no secret, and its words ("the X-Api-Key header") are left as written.
        text = self.redactor.dumps(document) if "status" in document else json.dumps(document)
        body = (text + "\n").encode("utf-8")
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"),
        ]
        if status == 401 and document.get("error", {}).get("http_status") is None:
            headers.append((b"www-authenticate", b'Bearer realm="clockify-actions"'))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def answer(self, scope: dict[str, Any], receive: Receive) -> tuple[int, dict[str, Any]]:
        method, path = scope["method"], scope["path"]
        if path == "/health" and method == "GET":
            return 200, {"status": "ok"}
        self.authorize(_header(scope, b"authorization"))
        match = _ROUTE.match(path)
        if match is None:
            raise Refused(404, ErrorType.NOT_FOUND, f"No route {path}.")
        kind, name = match.groups()
        if method == "GET":
            return 200, self.describe(kind, name)
        if method != "POST" or name is None:
            raise Refused(405, ErrorType.VALIDATION, f"{method} {path} is not served here.")
        self.known(kind, name)
        body = await self.body(scope, receive)
        if kind == "actions":
            envelope = await self.run(partial(self.pack.run, name, body), self.connection)
        else:
            params, state = _poll_input(body)
            envelope = await self.run(
                partial(self.pack.poll, name, params, state), self.poll_connection
            )
        return status_for(envelope), envelope

    def authorize(self, header: bytes | None) -> None:
        scheme, _, given = (header or b"").partition(b" ")
        if scheme.lower() != b"bearer" or not hmac.compare_digest(given.strip(), self.token):
            raise Refused(
                401,
                ErrorType.AUTH,
                "This worker needs its token: send Authorization: Bearer <token> (the "
                "token its banner printed, or the one in its --token-file).",
            )

    def describe(self, kind: str, name: str | None) -> dict[str, Any]:
        if name is None:
            if kind != "actions":
                return {"triggers": [self.pack.describe(n) for n in self.pack.triggers]}
            return {
                "actions": [self.pack.describe(n) for n in self.pack.actions],
                "triggers": [self.pack.describe(n) for n in self.pack.triggers],
                "connection": self.pack.connection_schema,
            }
        self.known(kind, name)
        return self.pack.describe(name)

    def known(self, kind: str, name: str) -> None:
        names = self.pack.actions if kind == "actions" else self.pack.triggers
        if name not in names:
            raise Refused(
                404,
                ErrorType.NOT_FOUND,
                f"No {kind[:-1]} {name!r} in the pack. Available: {', '.join(names)}.",
            )

    def writes(self, path: str) -> bool:
        """Whether `path` names an action that writes."""
        match = _ROUTE.match(path)
        action = self.pack.actions.get(match.group(2) or "") if match else None
        return bool(
            match and match.group(1) == "actions" and action and not action.hints["read_only"]
        )

    async def body(self, scope: dict[str, Any], receive: Receive) -> Any:
        """The request's JSON body; one over `MAX_BODY_BYTES` is refused by its
        Content-Length before it is read, or cut off there when it has none."""
        import anyio

        too_large = Refused(
            413, ErrorType.VALIDATION, f"The body is larger than {MAX_BODY_BYTES} bytes."
        )
        length = _header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            raise too_large
        chunks: list[bytes] = []
        size = 0
        more = True
        try:
            with anyio.fail_after(BODY_SECONDS):
                while more:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        raise Refused(400, ErrorType.VALIDATION, "The body was cut off.")
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > MAX_BODY_BYTES:
                        raise too_large
                    chunks.append(chunk)
                    more = message.get("more_body", False)
        except TimeoutError:
            raise Refused(408, ErrorType.VALIDATION, "The body did not arrive in time.") from None
        raw = b"".join(chunks)
        if not raw.strip():
            return {}
        try:
            return jsonio.loads(raw)
        except ValueError as error:
            raise Refused(
                400, ErrorType.VALIDATION, f"The body is not valid JSON: {error}."
            ) from None

    async def run(
        self, call: Callable[..., dict[str, Any]], connection: Mapping[str, Any]
    ) -> dict[str, Any]:
        import anyio.to_thread

        def on_a_pool() -> dict[str, Any]:
            pool = self.pools.get()
            try:
                return call(clients=pool, **connection)
            finally:
                self.pools.put(pool)

        return await anyio.to_thread.run_sync(on_a_pool, limiter=self.limiter)


def _poll_input(body: Any) -> tuple[Any, Any]:
    if not isinstance(body, dict) or set(body) - {"params", "state"}:
        raise Refused(
            422,
            ErrorType.VALIDATION,
            'A trigger\'s body is {"params": {...}, "state": {...}}: the state its last '
            "poll returned, none the first time.",
        )
    return body.get("params", {}), body.get("state")


def _header(scope: Mapping[str, Any], name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


def listen(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: any free one), bound before the banner says where."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        reason = error.strerror or str(error)
        raise ActionError(ErrorType.CONFIG, f"Cannot listen on {host}:{port}: {reason}.") from None
    sock.listen(128)
    return sock


def serve(
    app: HttpWorker,
    sock: socket.socket,
    *,
    concurrency: int,
    tls_cert: str | None = None,
    tls_key: str | None = None,
) -> int:
    """Serve until SIGINT or SIGTERM."""
    try:
        import uvicorn
    except ImportError:
        raise ActionError(
            ErrorType.CONFIG,
            f"The HTTP worker needs the optional uvicorn package; install it with: {INSTALL}",
        ) from None
    config = uvicorn.Config(
        app,
        lifespan="off",
        log_level="warning",
        access_log=False,
        limit_concurrency=concurrency * CONNECTIONS_PER_RUN,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        ssl_certfile=tls_cert,
        ssl_keyfile=tls_key,
        server_header=False,
    )
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        app.close()
        sock.close()
    return 0
