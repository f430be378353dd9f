"""An httpx transport that hands requests to the sandbox in-process, without a socket."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from ._http import Exchange, Request


class SandboxTransport(httpx.BaseTransport):
    """Routes on the URL path alone, so any host works (`https://api.clockify.me/api/v1/...`)."""

    def __init__(self, handle: Callable[[Request], Exchange]) -> None:
        self._handle = handle

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        exchange = self._handle(
            Request(
                method=request.method,
                path=request.url.path,
                query=request.url.query.decode("ascii"),
                headers={name.lower(): value for name, value in request.headers.items()},
                body=request.read(),
            )
        )
        response, fault = exchange.response, exchange.fault
        if response is None:
            assert fault is not None
            # The exceptions a real connection raises; the request was written or not
            # according to `fault.when`, which the client cannot tell apart except by kind.
            if fault.action == "timeout":
                raise httpx.ReadTimeout("timed out (sandbox fault)", request=request)
            if fault.when == "before":
                raise httpx.ConnectError("connection refused (sandbox fault)", request=request)
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response. (sandbox fault)", request=request
            )
        return httpx.Response(
            response.status,
            headers=dict(response.headers),
            content=response.body,
            request=request,
        )
