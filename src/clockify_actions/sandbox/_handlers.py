"""The handlers of Clockify's REST API v1 over the sandbox state, and their validation.

Behaviour, messages and codes follow Clockify's live responses (see api-facts.md); where the
live behaviour is unknown, the choice made is said in a comment.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from . import _docs
from ._docs import Doc
from ._http import Response
from ._store import (
    SandboxConfig,
    add_tracked_time,
    dump,
    insert_client,
    insert_projects,
    insert_time_entries,
    new_ids,
)
from ._time import format_duration, format_instant, parse_instant

_MAX_ENTRY_SECONDS = 999 * 3600
_MAX_DESCRIPTION = 3000  # CreateTimeEntryRequest.description maxLength in the spec
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")  # ProjectRequest.color's pattern in the spec
# Jackson reads application/json and any application/*+json, with or without parameters.
_JSON_MEDIA_TYPE = re.compile(r"application/(?:json|[^/;\s]+\+json)")
_SPRING_TRUE = {"true", "on", "yes", "1"}
_SPRING_FALSE = {"false", "off", "no", "0"}
_INVALID_DATE = (
    "You entered invalid value for field : [{0}]. Values representing [{0}] can be null and"
    " can't be empty. Make sure that the date [{0}] is not greater than 9999-12-31 or less than"
    ' 0001-01-01. Make sure that the date [{0}] has the following format: "yyyy-MM-ddThh:mm:ssZ"'
    " Example: 2018-11-29T13:00:46Z."
)
_PROJECT_REQUIRED = (
    "Time entry couldn't be created. Project is either required field or given project is archived."
)


class ApiError(Exception):
    def __init__(
        self, status: int, message: str, code: int, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = headers or {}

    def response(self) -> Response:
        return Response.json(
            self.status, dump({"message": self.message, "code": self.code}), self.headers
        )


def _not_belonging(what: str) -> ApiError:
    # Clockify answers unknown, deleted and foreign ids alike, with 400 rather than 404.
    return ApiError(400, f"{what} doesn't belong to Workspace", 501)


def _body_error(java_type: str, value: object) -> ApiError:
    kind = {
        dict: "Object",
        list: "Array",
        str: "String",
        bool: "Boolean",
        int: "Integer",
        float: "Floating-point",
    }[type(value)]
    return ApiError(
        400,
        f"JSON parse error: Cannot deserialize value of type `{java_type}` from {kind} value",
        3002,
    )


@dataclass(frozen=True)
class _Body:
    """The parameter types of one Spring handler, for its "body is missing" message."""

    request_type: str
    signature: str


_ADAPTERS = "com.clockify.adapter.http.v1"
_AUTH = "com.clockify.adapter.spring.security.CurrentAuth"
_PROJECT_BODY = _Body(
    f"{_ADAPTERS}.requests.ProjectRequest",
    f"public {_ADAPTERS}.dto.ProjectDtoImplV1 {_ADAPTERS}.project.ProjectHttpAdapter.create("
    f"java.lang.String,{_ADAPTERS}.requests.ProjectRequest,{_AUTH})",
)
_CLIENT_BODY = _Body(
    f"{_ADAPTERS}.requests.CreateClientRequestV1",
    f"public {_ADAPTERS}.dto.ClientWithCurrencyDtoV1 {_ADAPTERS}.client.ClientHttpAdapter.create("
    f"java.lang.String,{_ADAPTERS}.requests.CreateClientRequestV1,{_AUTH})",
)
_ENTRY_BODY = _Body(
    f"{_ADAPTERS}.requests.CreateTimeEntryRequest",
    f"public {_ADAPTERS}.dto.TimeEntryDtoImplV1 {_ADAPTERS}.timeentry.TimeEntryHttpAdapter.create("
    f"java.lang.String,{_ADAPTERS}.requests.CreateTimeEntryRequest,java.lang.String,"
    f"java.lang.String,java.lang.String,{_AUTH})",
)
_USER_ENTRY_BODY = _Body(
    f"{_ADAPTERS}.requests.CreateTimeEntryRequest",
    f"public {_ADAPTERS}.dto.TimeEntryDtoImplV1 {_ADAPTERS}.timeentry.TimeEntryHttpAdapter"
    f".createForOthers(java.lang.String,java.lang.String,{_ADAPTERS}.requests."
    f"CreateTimeEntryRequest,java.lang.String,{_AUTH})",
)
_STOP_BODY = _Body(
    f"{_ADAPTERS}.requests.StopTimeEntryRequest",
    f"public {_ADAPTERS}.dto.TimeEntryDtoImplV1 {_ADAPTERS}.timeentry.TimeEntryHttpAdapter"
    f".stopRunningTimeEntry(java.lang.String,java.lang.String,{_ADAPTERS}.requests."
    f"StopTimeEntryRequest,{_AUTH})",
)


@dataclass
class Call:
    """One authorised request on its way through a handler."""

    db: sqlite3.Connection
    config: SandboxConfig
    user_id: str
    params: dict[str, str]
    query: dict[str, list[str]]
    body: bytes
    content_type: str | None = None
    workspace_doc: str = ""

    @cached_property
    def now(self) -> datetime:
        return self.config.now()

    @cached_property
    def workspace(self) -> Doc:
        doc: Doc = json.loads(self.workspace_doc)
        return doc

    def new_id(self) -> str:
        return new_ids(self.db, self.now)[0]

    def text(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    def flag(self, name: str) -> bool | None:
        """A boolean query parameter as Spring converts it; None when absent or empty."""
        raw = self.text(name)
        if not raw:
            return None
        if raw.lower() in _SPRING_TRUE | _SPRING_FALSE:
            return raw.lower() in _SPRING_TRUE
        # The live message for a malformed boolean is unknown; this is Spring's own wording.
        raise ApiError(
            400,
            "Failed to convert value of type 'java.lang.String' to required type 'boolean';"
            f" Invalid boolean value [{raw}]",
            501,
        )

    def integer(self, name: str, default: int) -> int:
        raw = self.text(name)
        if not raw:
            return default
        digits = raw[1:] if raw[:1] in "+-" else raw
        value = int(raw) if digits.isascii() and digits.isdigit() else None
        if value is None or not -(2**31) <= value < 2**31:
            raise ApiError(400, f'For input string: "{raw}"', 501)
        return value

    def page(self, default_size: int, max_size: int) -> tuple[int, int]:
        page = self.integer("page", 1)
        size = self.integer("page-size", default_size)
        if size < 1:
            raise ApiError(400, "Page size must be a positive value", 501)
        if size > max_size:
            raise ApiError(400, f"Page size cannot be larger than {max_size:,}.", 501)
        if page < 1:
            # Unknown live; the wording follows the page-size message.
            raise ApiError(400, "Page must be a positive value", 501)
        return page, size

    def json(self, body: _Body) -> Doc:
        self._check_content_type()
        try:
            data = json.loads(self.body) if self.body.strip() else None
            # Escapes can make lone surrogates, which no stored or sent UTF-8 can carry.
            dump(data).encode()
        except (ValueError, RecursionError) as error:
            raise ApiError(400, f"JSON parse error: {error}", 3002) from None
        if data is None:
            raise ApiError(400, f"Required request body is missing: {body.signature}", 3002)
        if not isinstance(data, dict):
            raise _body_error(body.request_type, data)
        return data

    def _check_content_type(self) -> None:
        """Spring's 415 for a body its JSON converter will not read. Without a Content-Type
        Spring assumes application/octet-stream, which it refuses only when a body came.
        The message is Spring 6's wording, inferred: Clockify's 415 was never recorded."""
        if self.content_type is None:
            if not self.body:
                return
            shown = "application/octet-stream"
        else:
            kind, *parameters = (part.strip() for part in self.content_type.split(";"))
            if _JSON_MEDIA_TYPE.fullmatch(kind.lower()):
                return
            # How Spring prints a MediaType: type and subtype lower-cased, no spaces.
            shown = ";".join([kind.lower(), *(p for p in parameters if p)])
        raise ApiError(415, f"Content-Type '{shown}' is not supported", 3000)

    def member(self, user_id: str) -> str:
        found = self.db.execute(
            "SELECT 1 FROM memberships WHERE user_id = ? AND workspace_id = ?",
            (user_id, self.params["workspace"]),
        ).fetchone()
        if found is None:
            raise _not_belonging("User")
        return user_id


def _paged(
    call: Call,
    sql: str,
    args: tuple[Any, ...],
    sizes: tuple[int, int] = (50, 5000),
    headers: dict[str, str] | None = None,
) -> Response:
    """A bare JSON array of stored documents, with Clockify's `Last-Page` header."""
    page, size = call.page(*sizes)
    rows = call.db.execute(f"{sql} LIMIT ? OFFSET ?", (*args, size + 1, (page - 1) * size))
    docs = [doc for (doc,) in rows]
    last = "true" if len(docs) <= size else "false"
    return Response.json(200, f"[{','.join(docs[:size])}]", {"Last-Page": last, **(headers or {})})


def _string(data: Doc, key: str) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    raise _body_error("java.lang.String", value)


def _boolean(data: Doc, key: str) -> bool | None:
    value = data.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise _body_error("boolean", value)


def _strings(data: Doc, key: str) -> list[str] | None:
    value = data.get(key)
    if value is None or (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return value
    raise _body_error("java.util.List<java.lang.String>", value)


def _amount(data: Doc, key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, dict):
        amount = value.get("amount")
        if isinstance(amount, int) and not isinstance(amount, bool):
            return amount
    raise _body_error(f"{_ADAPTERS}.requests.RateRequestV1", value)


# --- user and workspaces ---------------------------------------------------------------------


def get_user(call: Call) -> Response:
    (text,) = call.db.execute("SELECT doc FROM users WHERE id = ?", (call.user_id,)).fetchone()
    if not call.flag("include-memberships"):
        return Response.json(200, text)
    doc = json.loads(text)
    doc["memberships"] = [
        _docs.membership(call.user_id, workspace_id, "WORKSPACE")
        for (workspace_id,) in call.db.execute(
            "SELECT workspace_id FROM memberships WHERE user_id = ? ORDER BY rowid",
            (call.user_id,),
        )
    ]
    return Response.json(200, dump(doc))


def list_workspaces(call: Call) -> Response:
    # Not paginated: `page` and `page-size` are ignored and no Last-Page header is sent.
    rows = call.db.execute(
        "SELECT w.doc FROM memberships m JOIN workspaces w ON w.id = m.workspace_id"
        " WHERE m.user_id = ? ORDER BY m.rowid",
        (call.user_id,),
    )
    return Response.json(200, f"[{','.join(doc for (doc,) in rows)}]")


# --- projects and clients --------------------------------------------------------------------


def _listing_filter(call: Call, strict_names: bool) -> tuple[str, tuple[str | bool, ...]]:
    """The workspace's records, by `archived` (omitted: both) and by `name`, which matches
    ignoring case: contained in the name, or the whole name when `strict_names`."""
    where = ["workspace_id = ?"]
    args: list[str | bool] = [call.params["workspace"]]
    archived = call.flag("archived")
    if archived is not None:
        where.append("archived = ?")
        args.append(archived)
    name = call.text("name")
    if name:
        where.append("name_key = ?" if strict_names else "instr(name_key, ?)")
        args.append(name.casefold())
    return " AND ".join(where), tuple(args)


def list_projects(call: Call) -> Response:
    condition, args = _listing_filter(call, bool(call.flag("strict-name-search")))
    return _paged(call, f"SELECT doc FROM projects WHERE {condition} ORDER BY name_key, id", args)


def get_project(call: Call) -> Response:
    row = call.db.execute(
        "SELECT doc FROM projects WHERE id = ? AND workspace_id = ?",
        (call.params["project"], call.params["workspace"]),
    ).fetchone()
    if row is None:
        raise _not_belonging("Project")
    return Response.json(200, row[0])


def create_project(call: Call) -> Response:
    data = call.json(_PROJECT_BODY)
    name = _string(data, "name")
    if name is None:
        raise ApiError(400, "Project name is required", 501)
    name = name.strip()
    if not 2 <= len(name) <= 250:
        raise ApiError(400, "Project name has to be between 2 and 250 characters long", 501)
    color = _string(data, "color")
    if color is not None and not _COLOR.fullmatch(color):
        # The live message is unknown; this is Bean Validation's for the spec's pattern.
        raise ApiError(400, 'color: must match "^#(?:[0-9a-fA-F]{6}){1}$"', 501)
    client = _client(call, _string(data, "clientId"))
    # Confirmed live (api-facts §5): a taken name is refused while its project exists,
    # archived included. Unique per workspace, whatever the client, as api-facts states it;
    # that the check ignores case is a guess (live unknown).
    taken = call.db.execute(
        "SELECT 1 FROM projects WHERE workspace_id = ? AND name_key = ?",
        (call.params["workspace"], name.casefold()),
    ).fetchone()
    if taken:
        raise ApiError(400, "Project with this name already exists", 501)
    doc = _docs.project(
        call.new_id(),
        name,
        call.workspace,
        call.user_id,
        client=client,
        public=bool(_boolean(data, "isPublic")),
        billable=bool(_boolean(data, "billable")),
        color=color or "#03A9F4",
        note=_string(data, "note") or "",
        hourly_rate=_amount(data, "hourlyRate") or 0,
        cost_rate=_amount(data, "costRate"),
    )
    insert_projects(call.db, [doc])
    return Response.json(201, dump(doc))


def _client(call: Call, client_id: str | None) -> Doc | None:
    if not client_id:
        return None
    row = call.db.execute(
        "SELECT doc FROM clients WHERE id = ? AND workspace_id = ?",
        (client_id, call.params["workspace"]),
    ).fetchone()
    if row is None:
        raise _not_belonging("Client")
    doc: Doc = json.loads(row[0])
    return doc


def list_clients(call: Call) -> Response:
    condition, args = _listing_filter(call, strict_names=False)
    (total,) = call.db.execute(f"SELECT count(*) FROM clients WHERE {condition}", args).fetchone()
    return _paged(
        call,
        f"SELECT doc FROM clients WHERE {condition} ORDER BY name_key, id",
        args,
        headers={"Total-Count": str(total)},  # sent on /clients, unlike /projects
    )


def create_client(call: Call) -> Response:
    data = call.json(_CLIENT_BODY)
    name = (_string(data, "name") or "").strip()
    if not name:
        raise ApiError(400, "Client name is required", 501)
    taken = call.db.execute(
        "SELECT 1 FROM clients WHERE workspace_id = ? AND name_key = ?",
        (call.params["workspace"], name.casefold()),
    ).fetchone()
    if taken:
        # Live answers 400 for a duplicate client; the exact message is inferred from projects'.
        raise ApiError(400, "Client with this name already exists", 501)
    fields = {key: _string(data, key) for key in ("email", "address", "note")}
    doc = _docs.client(call.new_id(), name, call.workspace, fields)
    insert_client(call.db, doc)
    return Response.json(201, dump(doc))


# --- time entries ----------------------------------------------------------------------------


def _instant(value: object, field: str) -> datetime:
    moment = parse_instant(value) if isinstance(value, str) else None
    if moment is None:
        raise ApiError(400, _INVALID_DATE.format(field), 501)
    return moment


def _checked_seconds(start: datetime, end: datetime) -> int:
    if start > end:
        raise ApiError(
            400,
            f"Start datetime {format_instant(start)} is greater than end datetime"
            f" {format_instant(end)}.",
            501,
        )
    seconds = int((end - start).total_seconds())
    if seconds > _MAX_ENTRY_SECONDS:
        raise ApiError(400, "Time entry cannot have duration more than 999 hours.", 501)
    return seconds


def _entry_project(call: Call, project_id: str | None) -> Doc | None:
    if not project_id:
        return None
    row = call.db.execute(
        "SELECT doc FROM projects WHERE id = ? AND workspace_id = ?",
        (project_id, call.params["workspace"]),
    ).fetchone()
    if row is None:
        raise _not_belonging("Project")
    doc: Doc = json.loads(row[0])
    return doc


def _require_project(call: Call, project: Doc | None) -> None:
    """A finished entry in a workspace that forces projects needs an active project."""
    forced = call.workspace["workspaceSettings"]["forceProjects"]
    if forced and (project is None or project["archived"]):
        raise ApiError(400, _PROJECT_REQUIRED, 501)


def _running(call: Call, user_id: str) -> list[Doc]:
    rows = call.db.execute(
        "SELECT doc FROM time_entries WHERE workspace_id = ? AND user_id = ? AND running"
        " ORDER BY start DESC, rowid DESC",
        (call.params["workspace"], user_id),
    )
    return [json.loads(doc) for (doc,) in rows]


def _finish(call: Call, entry: Doc, end: datetime) -> Doc:
    """Stops a running entry at `end`, under the rules a finished entry must meet."""
    interval = entry["timeInterval"]
    seconds = _checked_seconds(_instant(interval["start"], "start"), end)
    _require_project(call, _entry_project(call, entry["projectId"]))
    interval["end"] = format_instant(end)
    interval["duration"] = format_duration(seconds)
    call.db.execute(
        "UPDATE time_entries SET running = 0, doc = ? WHERE id = ?", (dump(entry), entry["id"])
    )
    add_tracked_time(call.db, entry["projectId"], seconds)
    return entry


def _create_entry(call: Call, user_id: str, data: Doc) -> Response:
    start_value, end_value = data.get("start"), data.get("end")
    if start_value is None and end_value is not None:
        raise ApiError(400, "Can't create a time entry with only an end time.", 501)
    start = _instant(start_value, "start")
    end = None if end_value is None else _instant(end_value, "end")
    call.member(user_id)
    project = _entry_project(call, _string(data, "projectId"))
    kind = _string(data, "type") or "REGULAR"
    if kind not in ("REGULAR", "BREAK"):
        raise _body_error(f"{_ADAPTERS}.requests.TimeEntryType", kind)
    description = _string(data, "description")
    # Java counts a string's length in UTF-16 units.
    if description is not None and len(description.encode("utf-16-le")) > 2 * _MAX_DESCRIPTION:
        # The live message is unknown; this is Bean Validation's for the spec's maxLength.
        raise ApiError(400, f"description: size must be between 0 and {_MAX_DESCRIPTION}", 501)
    from ._time_entries_read import check_task_and_tags  # it builds on this module

    task_id, tag_ids = _string(data, "taskId"), _strings(data, "tagIds")
    check_task_and_tags(call, project, task_id, tag_ids)
    fields = {
        "description": description,
        "billable": _boolean(data, "billable"),
        "tagIds": tag_ids,
        "taskId": task_id,
        "type": kind,
    }
    seconds = None
    if end is not None:
        seconds = _checked_seconds(start, end)
        _require_project(call, project)
    elif call.config.auto_stop:
        # One timer per user and workspace: the running one stops where the new one starts,
        # and when it cannot stop, nothing is created (the savepoint undoes any stop made).
        for running in _running(call, user_id):
            _finish(call, running, start)
    interval = {
        "start": format_instant(start),
        "end": None if end is None else format_instant(end),
        "duration": None if seconds is None else format_duration(seconds),
    }
    doc = _docs.time_entry(call.new_id(), call.workspace, user_id, interval, fields, project)
    insert_time_entries(call.db, [doc])
    if seconds is not None:
        add_tracked_time(call.db, doc["projectId"], seconds)
    return Response.json(201, dump(_docs.without_rates(doc)))


def create_own_entry(call: Call) -> Response:
    return _create_entry(call, call.user_id, call.json(_ENTRY_BODY))


def create_user_entry(call: Call) -> Response:
    return _create_entry(call, call.params["user"], call.json(_USER_ENTRY_BODY))


def stop_timer(call: Call) -> Response:
    data = call.json(_STOP_BODY)
    end = _instant(data.get("end"), "end")
    user_id = call.member(call.params["user"])
    running = _running(call, user_id)
    if not running:
        raise ApiError(
            404,
            f"Currently running time entry doesn't exist on workspace"
            f" {call.params['workspace']} for user {user_id}.",
            404,
        )
    # Which entry stops when several run is unknown live (auto-stop off): the newest one.
    entry = _finish(call, running[0], end)
    return Response.json(200, dump(_docs.without_rates(entry)))
