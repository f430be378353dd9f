"""Clockify's REST API v1 in front of the handlers: auth, routing, rate limits, transactions.

The routes are the resources' (`_resources`: each resource's `sandbox` module declares its
own), tried as Spring tries them; what a write changes is handed by `_events` to the
resources that listen, and webhooks are delivered by `_delivery`.

Behaviour, messages and codes follow Clockify's live responses (see docs/clockify-api.md).
"""

from __future__ import annotations

import functools
import logging
import sqlite3
from collections.abc import Mapping
from urllib.parse import parse_qs

from . import _not_emulated as not_emulated
from ._call import Call
from ._errors import ApiError
from ._http import Request, Response
from ._params import check_query
from ._plans import refusal
from ._resources import Host, Route, routes
from ._store import SandboxConfig, dump

log = logging.getLogger("clockify_actions.sandbox")

_API_ROOT = ("api", "v1")
# The reports host's root as its regional and subdomain hosts write it (docs/clockify-api.md
# §24.1); the in-process transport maps the global reports host's `/v1` onto it.
_REPORTS_ROOT = ("report", "v1")
_RATE_LIMITS = {"paid": (50, 1.0), "free": (30, 3600.0)}  # requests per window of seconds

# Routes Clockify serves under resources the sandbox does not emulate: "not emulated" (501),
# never Spring's 404, and 405 for a method Clockify lacks. Looked up only when no emulated
# route matches.
_NOT_EMULATED: dict[Host, list[Route]] = {
    "api": [Route("/" + "/".join(p), dict.fromkeys(m)) for p, m in not_emulated.API_ROUTES],
    "reports": [
        Route("/" + "/".join(p), dict.fromkeys(m), "reports") for p, m in not_emulated.REPORT_ROUTES
    ],
}


@functools.cache
def _table(host: Host) -> list[tuple[tuple[str, ...], Route]]:
    """What the host's paths are matched against: the resources' routes, then those not
    emulated."""
    return [(route.pattern, route) for route in [*routes(host), *_NOT_EMULATED[host]]]


def api_path(path: str) -> str:
    """The path below `/api/v1`, without a trailing slash: what routes and fault globs see."""
    root = "/" + "/".join(_API_ROOT)
    below = path[len(root) :] if path == root or path.startswith(root + "/") else path
    return below.rstrip("/") or "/"


def _segments(path: str) -> tuple[list[str], bool, str]:
    """The path's segments with empty ones dropped, as Spring's path matcher drops them;
    whether there were any; and the path Spring names in its 404."""
    parts = path.split("/")[1:]
    if parts and parts[-1] == "":
        parts.pop()  # a trailing slash names the same route
    kept = [part for part in parts if part]
    return kept, len(kept) < len(parts), "/".join(kept).removeprefix("api/")


def _match(segments: list[str], host: Host) -> tuple[Route, dict[str, str]] | None:
    for pattern, route in _table(host):
        if len(pattern) != len(segments):
            continue
        params: dict[str, str] = {}
        for expected, actual in zip(pattern, segments, strict=True):
            if expected.startswith("{"):
                params[expected[1:-1]] = actual
            elif expected != actual:
                break
        else:
            return route, params
    return None


def _authenticate(db: sqlite3.Connection, headers: Mapping[str, str]) -> tuple[str, str]:
    """The caller's user id and active workspace."""
    key, token = headers.get("x-api-key"), headers.get("x-addon-token")
    if (key is None) == (token is None):
        raise ApiError(401, "Multiple or none auth tokens present", 1000)
    if key is not None:
        row = db.execute("SELECT id, active_workspace FROM users WHERE api_key = ?", (key,))
        error = ApiError(401, "Api key does not exist", 4003)
    else:
        row = db.execute("SELECT id, active_workspace FROM users WHERE addon_token = ?", (token,))
        error = ApiError(401, "Token is not valid", 4017)
    found = row.fetchone()
    if found is None:
        raise error
    return found[0], found[1]


def _throttle(db: sqlite3.Connection, config: SandboxConfig, workspace_id: str) -> None:
    """Clockify's per-workspace limits over a sliding window; no Retry-After on the 429."""
    if config.rate_limit == "off":
        return
    limit, window = _RATE_LIMITS[config.rate_limit]
    moment = config.instant()
    db.execute(
        "DELETE FROM rate_hits WHERE workspace_id = ? AND at <= ?", (workspace_id, moment - window)
    )
    (count,) = db.execute(
        "SELECT count(*) FROM rate_hits WHERE workspace_id = ?", (workspace_id,)
    ).fetchone()
    if count >= limit:
        raise ApiError(429, "Too many requests", 429)
    db.execute("INSERT INTO rate_hits (workspace_id, at) VALUES (?, ?)", (workspace_id, moment))


def process(db: sqlite3.Connection, config: SandboxConfig, request: Request) -> Response:
    """Answers one request inside the caller's transaction; never raises for a request."""
    try:
        response = _dispatch(db, config, request)
    except ApiError as error:
        response = error.response()
    except Exception:
        # A bug of the sandbox's own: the client gets an answer, not a dropped connection.
        log.exception("%s %s failed", request.method, request.path)
        response = internal_error()
    if request.method == "HEAD":
        return Response(response.status, b"", response.headers)
    return response


def internal_error() -> Response:
    # Clockify's body for a 500 was never recorded; this is its error shape with the status.
    return Response.json(500, dump({"message": "Internal Server Error", "code": 500}))


def _dispatch(db: sqlite3.Connection, config: SandboxConfig, request: Request) -> Response:
    user_id, active_workspace = _authenticate(db, request.headers)
    segments, collapsed, shown = _segments(request.path)
    below = segments[2:] if tuple(segments[:2]) == _API_ROOT else None
    found = None if below is None else _match(below, "api")
    if tuple(segments[:2]) == _REPORTS_ROOT:
        found = _match(segments[2:], "reports")
    if found is None:
        raise ApiError(404, f"No static resource {shown}.", 3000)
    route, params = found
    handlers = route.handlers
    method = "GET" if request.method == "HEAD" else request.method
    if method not in handlers:
        raise ApiError(
            405,
            f"Request method '{request.method}' is not supported",
            3000,
            {"Allow": ", ".join(handlers)},
        )
    handler = route.handler(method)
    if collapsed:
        # Whether live serves a path whose empty segment was dropped is unrecorded; docs/clockify-api.md
        # §1.3 and §10.4 see only 404s for one, so the sandbox never serves it.
        raise ApiError(404, f"No static resource {shown}.", 3000)
    if handler is None:
        # Clockify serves it and the sandbox does not: said plainly, not as Spring's 404.
        raise ApiError(
            501, f"Not emulated: Clockify serves {method} /{shown}; the sandbox does not yet.", 501
        )
    workspace_doc = ""
    if "workspace" in params:
        row = db.execute(
            "SELECT w.doc FROM workspaces w JOIN memberships m ON m.workspace_id = w.id"
            " WHERE w.id = ? AND m.user_id = ?",
            (params["workspace"], user_id),
        ).fetchone()
        if row is None:
            # Malformed, unknown and foreign workspaces alike; the live `code` is unknown.
            raise ApiError(403, "Access Denied", 403)
        workspace_doc = row[0]
    # Only a request that reaches one of the caller's workspaces counts: the one in its path,
    # else (/user, /workspaces) the caller's active one. Auth, routing and membership refusals
    # above cost nothing: charging the workspace a non-member names would let any key spend
    # another tenant's quota, and whether live charges the caller's own instead is unknown.
    _throttle(db, config, params.get("workspace", active_workspace))
    if route.feature is not None and workspace_doc:
        refused = refusal(db, workspace_doc, route.feature)
        if refused is not None:
            raise refused
    query = parse_qs(request.query, keep_blank_values=True)
    check_query(route, query)
    call = Call(
        db=db,
        config=config,
        user_id=user_id,
        params=params,
        query=query,
        body=request.body,
        content_type=request.headers.get("content-type"),
        workspace_doc=workspace_doc,
    )
    # A failed call writes nothing, whatever it had written before failing (§10.3); the
    # rate-limit hit above stays.
    db.execute("SAVEPOINT handler")
    try:
        response = handler(call)
    except BaseException:
        db.execute("ROLLBACK TO handler")
        db.execute("RELEASE handler")
        raise
    db.execute("RELEASE handler")
    return response
