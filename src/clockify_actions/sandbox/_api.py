"""Clockify's REST API v1 in front of the handlers: auth, routing, rate limits, transactions.

The routing table names each route's handler; the handlers live in one module per Clockify
resource (`_users`, `_projects`, `_clients`, `_time_entries`, `_time_entries_read`, `_entities`,
`_webhooks`); what a write changes is noted by `_events` and delivered by `_delivery`.

Behaviour, messages and codes follow Clockify's live responses (see docs/clockify-api.md).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Mapping
from urllib.parse import parse_qs

from . import _not_emulated as not_emulated
from ._call import Call
from ._client_items import delete_client, get_client, update_client
from ._clients import create_client, list_clients
from ._entities import list_changes
from ._errors import ApiError
from ._http import Request, Response
from ._members import (
    add_user,
    create_role,
    delete_role,
    filter_users,
    get_member_profile,
    list_managers,
    update_member_profile,
    update_status,
    upsert_custom_field_value,
)
from ._params import check_query
from ._project_items import (
    add_memberships,
    delete_project,
    project_from_template,
    set_template,
    update_estimate,
    update_memberships,
)
from ._projects import create_project, get_project, list_projects, update_project
from ._rates import (
    set_member_cost_rate,
    set_member_hourly_rate,
    set_project_member_cost_rate,
    set_project_member_hourly_rate,
    set_workspace_cost_rate,
    set_workspace_hourly_rate,
)
from ._reports import detailed_report
from ._reports_attendance import attendance_report
from ._reports_summary import summary_report
from ._reports_weekly import weekly_report
from ._store import SandboxConfig, dump
from ._tag_items import delete_tag, get_tag, update_tag
from ._tags import create_tag, list_tags
from ._task_items import (
    delete_task,
    get_task,
    set_task_cost_rate,
    set_task_hourly_rate,
    update_task,
)
from ._tasks import create_task, list_tasks
from ._time_entries import (
    create_own_entry,
    create_user_entry,
    stop_timer,
)
from ._time_entries_bulk import delete_many, duplicate_entry, replace_many, update_invoiced
from ._time_entries_read import (
    delete_entry,
    get_entry,
    list_in_progress,
    list_user_entries,
    update_entry,
)
from ._users import get_user, list_workspaces, upload_image
from ._webhook_logs import webhook_logs, webhook_statuses
from ._webhooks import (
    create_webhook,
    delete_webhook,
    get_webhook,
    list_addon_webhooks,
    list_webhooks,
    new_token,
    update_webhook,
)
from ._workspace_users import list_users as list_workspace_users
from ._workspaces import create_workspace, get_workspace

# None: a method Clockify serves on the route and the sandbox does not (answered 501).
Handler = Callable[[Call], Response] | None

log = logging.getLogger("clockify_actions.sandbox")

_API_ROOT = ("api", "v1")
# The reports host's root as its regional and subdomain hosts write it (docs/clockify-api.md
# §24.1); the in-process transport maps the global reports host's `/v1` onto it.
_REPORTS_ROOT = ("report", "v1")
_RATE_LIMITS = {"paid": (50, 1.0), "free": (30, 3600.0)}  # requests per window of seconds

_ROUTES: list[tuple[tuple[str, ...], dict[str, Handler]]] = [
    (("user",), {"GET": get_user}),
    (("file", "image"), {"POST": upload_image}),
    (("workspaces",), {"GET": list_workspaces, "POST": create_workspace}),
    # Its other methods get Spring's 405 (PUT and PATCH live, docs/clockify-api.md §3, §14), as
    # `POST /workspaces//projects` does once Spring's matcher has dropped the empty segment (§5).
    (("workspaces", "{workspace}"), {"GET": get_workspace}),
    (("workspaces", "{workspace}", "projects"), {"GET": list_projects, "POST": create_project}),
    # Before `projects/{project}`: Spring prefers the literal segment.
    (("workspaces", "{workspace}", "projects", "from-template"), {"POST": project_from_template}),
    (
        ("workspaces", "{workspace}", "projects", "{project}"),
        {"GET": get_project, "PUT": update_project, "DELETE": delete_project},
    ),
    (
        ("workspaces", "{workspace}", "projects", "{project}", "estimate"),
        {"PATCH": update_estimate},
    ),
    (
        ("workspaces", "{workspace}", "projects", "{project}", "memberships"),
        {"PATCH": update_memberships, "POST": add_memberships},
    ),
    (("workspaces", "{workspace}", "projects", "{project}", "template"), {"PATCH": set_template}),
    (
        ("workspaces", "{workspace}", "projects", "{project}", "users", "{user}", "hourly-rate"),
        {"PUT": set_project_member_hourly_rate},
    ),
    (
        ("workspaces", "{workspace}", "projects", "{project}", "users", "{user}", "cost-rate"),
        {"PUT": set_project_member_cost_rate},
    ),
    (("workspaces", "{workspace}", "hourly-rate"), {"PUT": set_workspace_hourly_rate}),
    (("workspaces", "{workspace}", "cost-rate"), {"PUT": set_workspace_cost_rate}),
    (
        ("workspaces", "{workspace}", "users", "{user}", "hourly-rate"),
        {"PUT": set_member_hourly_rate},
    ),
    (("workspaces", "{workspace}", "users", "{user}", "cost-rate"), {"PUT": set_member_cost_rate}),
    (("workspaces", "{workspace}", "clients"), {"GET": list_clients, "POST": create_client}),
    (
        ("workspaces", "{workspace}", "clients", "{client}"),
        {"GET": get_client, "PUT": update_client, "DELETE": delete_client},
    ),
    (("workspaces", "{workspace}", "time-entries"), {"POST": create_own_entry}),
    (
        ("workspaces", "{workspace}", "time-entries", "status", "in-progress"),
        {"GET": list_in_progress},
    ),
    (("workspaces", "{workspace}", "time-entries", "invoiced"), {"PATCH": update_invoiced}),
    (
        ("workspaces", "{workspace}", "time-entries", "{entry}"),
        {"GET": get_entry, "PUT": update_entry, "DELETE": delete_entry},
    ),
    (
        ("workspaces", "{workspace}", "user", "{user}", "time-entries"),
        # PUT (bulk edit) and DELETE (bulk delete) exist live (docs/clockify-api.md §13.2, §13.3).
        {
            "GET": list_user_entries,
            "POST": create_user_entry,
            "PATCH": stop_timer,
            "PUT": replace_many,
            "DELETE": delete_many,
        },
    ),
    (
        ("workspaces", "{workspace}", "user", "{user}", "time-entries", "{entry}", "duplicate"),
        {"POST": duplicate_entry},
    ),
    (("workspaces", "{workspace}", "entities", "{kind}"), {"GET": list_changes}),
    (("workspaces", "{workspace}", "webhooks"), {"GET": list_webhooks, "POST": create_webhook}),
    (
        ("workspaces", "{workspace}", "addons", "{addon}", "webhooks"),
        {"GET": list_addon_webhooks},
    ),
    (
        ("workspaces", "{workspace}", "webhooks", "{webhook}"),
        {"GET": get_webhook, "PUT": update_webhook, "DELETE": delete_webhook},
    ),
    (("workspaces", "{workspace}", "webhooks", "{webhook}", "token"), {"PATCH": new_token}),
    (("workspaces", "{workspace}", "webhooks", "{webhook}", "logs"), {"POST": webhook_logs}),
    (
        ("workspaces", "{workspace}", "webhooks", "{webhook}", "statuses"),
        {"GET": webhook_statuses},
    ),
    (("workspaces", "{workspace}", "tags"), {"GET": list_tags, "POST": create_tag}),
    (
        ("workspaces", "{workspace}", "tags", "{tag}"),
        {"GET": get_tag, "PUT": update_tag, "DELETE": delete_tag},
    ),
    (("workspaces", "{workspace}", "users"), {"GET": list_workspace_users, "POST": add_user}),
    # Before `users/{user}`: Spring prefers the literal segment.
    (("workspaces", "{workspace}", "users", "info"), {"POST": filter_users}),
    (("workspaces", "{workspace}", "users", "{user}"), {"PUT": update_status}),
    (
        ("workspaces", "{workspace}", "users", "{user}", "roles"),
        {"POST": create_role, "DELETE": delete_role},
    ),
    (("workspaces", "{workspace}", "users", "{user}", "managers"), {"GET": list_managers}),
    (
        ("workspaces", "{workspace}", "users", "{user}", "custom-field", "{field}", "value"),
        {"PUT": upsert_custom_field_value},
    ),
    (
        ("workspaces", "{workspace}", "member-profile", "{user}"),
        {"GET": get_member_profile, "PATCH": update_member_profile},
    ),
    (
        ("workspaces", "{workspace}", "projects", "{project}", "tasks"),
        {"GET": list_tasks, "POST": create_task},
    ),
    (
        ("workspaces", "{workspace}", "projects", "{project}", "tasks", "{task}"),
        {"GET": get_task, "PUT": update_task, "DELETE": delete_task},
    ),
    (
        ("workspaces", "{workspace}", "projects", "{project}", "tasks", "{task}", "hourly-rate"),
        {"PUT": set_task_hourly_rate},
    ),
    (
        ("workspaces", "{workspace}", "projects", "{project}", "tasks", "{task}", "cost-rate"),
        {"PUT": set_task_cost_rate},
    ),
]


# The reports host's routes (docs/clockify-api.md §24): reports are asked for with a POST.
_REPORT_ROUTES: list[tuple[tuple[str, ...], dict[str, Handler]]] = [
    (("workspaces", "{workspace}", "reports", "summary"), {"POST": summary_report}),
    (("workspaces", "{workspace}", "reports", "detailed"), {"POST": detailed_report}),
    (("workspaces", "{workspace}", "reports", "weekly"), {"POST": weekly_report}),
    (("workspaces", "{workspace}", "reports", "attendance"), {"POST": attendance_report}),
]

# Routes Clockify serves under resources the sandbox does not emulate: "not emulated" (501),
# never Spring's 404, and 405 for a method Clockify lacks. Looked up only when the tables
# above have no match.
_NOT_EMULATED: list[tuple[tuple[str, ...], dict[str, Handler]]] = [
    (pattern, dict.fromkeys(methods)) for pattern, methods in not_emulated.API_ROUTES
]
_REPORTS_NOT_EMULATED: list[tuple[tuple[str, ...], dict[str, Handler]]] = [
    (pattern, dict.fromkeys(methods)) for pattern, methods in not_emulated.REPORT_ROUTES
]


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


def _match(
    segments: list[str], routes: list[tuple[tuple[str, ...], dict[str, Handler]]]
) -> tuple[tuple[str, ...], dict[str, Handler], dict[str, str]] | None:
    for pattern, handlers in routes:
        if len(pattern) != len(segments):
            continue
        params: dict[str, str] = {}
        for expected, actual in zip(pattern, segments, strict=True):
            if expected.startswith("{"):
                params[expected[1:-1]] = actual
            elif expected != actual:
                break
        else:
            return pattern, handlers, params
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
    found = None if below is None else _match(below, _ROUTES) or _match(below, _NOT_EMULATED)
    if tuple(segments[:2]) == _REPORTS_ROOT:
        found = _match(segments[2:], _REPORT_ROUTES) or _match(segments[2:], _REPORTS_NOT_EMULATED)
    if found is None:
        raise ApiError(404, f"No static resource {shown}.", 3000)
    route, handlers, params = found
    method = "GET" if request.method == "HEAD" else request.method
    if method not in handlers:
        raise ApiError(
            405,
            f"Request method '{request.method}' is not supported",
            3000,
            {"Allow": ", ".join(handlers)},
        )
    handler = handlers[method]
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
