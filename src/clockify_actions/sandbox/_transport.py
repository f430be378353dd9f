"""An httpx transport that hands requests to the sandbox in-process, without a socket."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from ._http import Exchange, Request

# Clockify's global reports host serves `/v1/...`, which the sandbox serves as `/report/v1/...`,
# the path of the regional and subdomain reports hosts (docs/clockify-api.md §24.1).
_REPORTS_HOST_PREFIX = "reports."
_REPORTS_PATH = "/report"


class SandboxTransport(httpx.BaseTransport):
    """Routes on the URL path, so any host works (`https://api.clockify.me/api/v1/...`,
    `https://euc1.clockify.me/report/v1/...`); a `reports.` host's `/v1/...` is its reports."""

    def __init__(self, handle: Callable[[Request], Exchange]) -> None:
        self._handle = handle

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        exchange = self._handle(
            Request(
                method=request.method,
                path=_routed_path(request.url),
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


def _routed_path(url: httpx.URL) -> str:
    if url.host.startswith(_REPORTS_HOST_PREFIX) and url.path.startswith("/v1/"):
        return _REPORTS_PATH + url.path
    return url.path
