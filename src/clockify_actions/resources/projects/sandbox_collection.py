"""A workspace's projects: listed, read, created and updated (archived by an update).

Behaviour, messages and codes follow Clockify's live responses (see docs/clockify-api.md).
"""

from __future__ import annotations

import json
import re
import sqlite3

from clockify_actions.resources.clients.sandbox_collection import find_client
from clockify_actions.sandbox import _docs
from clockify_actions.sandbox._call import (
    ADAPTERS,
    AUTH,
    Body,
    Call,
    amount_field,
    boolean_field,
    listing_filter,
    paged,
    string_field,
)
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._errors import ApiError, not_belonging
from clockify_actions.sandbox._events import emit
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._store import dump, name_key
from clockify_actions.sandbox._time import format_duration

_COLOR = re.compile(r"#[0-9a-fA-F]{6}")  # ProjectRequest.color's pattern in the spec
_PROJECT_BODY = Body(
    f"{ADAPTERS}.requests.ProjectRequest",
    f"public {ADAPTERS}.dto.ProjectDtoImplV1 {ADAPTERS}.project.ProjectHttpAdapter.create("
    f"java.lang.String,{ADAPTERS}.requests.ProjectRequest,{AUTH})",
)
_UPDATE_BODY = Body(
    f"{ADAPTERS}.requests.UpdateProjectRequest",
    f"public {ADAPTERS}.dto.ProjectDtoImplV1 {ADAPTERS}.project.ProjectHttpAdapter.update("
    f"java.lang.String,java.lang.String,{ADAPTERS}.requests.UpdateProjectRequest,{AUTH})",
)


def list_projects(call: Call) -> Response:
    """`is-template=true` lists the projects marked as templates, `false` the others
    (Clockify's API facts, part 3, §32.8). Omitted, both: the spec's "default false" would
    leave templates out of every plain list, and whether live does so is UNKNOWN."""
    condition, args = listing_filter(call, bool(call.flag("strict-name-search")))
    template = call.flag("is-template")
    if template is not None:
        condition += " AND json_extract(doc, '$.template') = ?"
        args = (*args, template)
    return paged(call, f"SELECT doc FROM projects WHERE {condition} ORDER BY name_key, id", args)


def stored_project(call: Call) -> Doc:
    """The project the path names, if it is one of the path's workspace."""
    row = call.db.execute(
        "SELECT doc FROM projects WHERE id = ? AND workspace_id = ?",
        (call.params["project"], call.params["workspace"]),
    ).fetchone()
    if row is None:
        raise not_belonging("Project")
    doc: Doc = json.loads(row[0])
    return doc


def get_project(call: Call) -> Response:
    return Response.json(200, dump(stored_project(call)))


def _checked_name(data: Doc) -> str:
    name = string_field(data, "name")
    if name is None:
        raise ApiError(400, "Project name is required", 501)
    name = name.strip()
    if not 2 <= len(name) <= 250:
        raise ApiError(400, "Project name has to be between 2 and 250 characters long", 501)
    return name


def checked_color(data: Doc) -> str | None:
    color = string_field(data, "color")
    if color is not None and not _COLOR.fullmatch(color):
        # The live message is unknown; this is Bean Validation's for the spec's pattern.
        raise ApiError(400, 'color: must match "^#(?:[0-9a-fA-F]{6}){1}$"', 501)
    return color


def refuse_taken(call: Call, name: str, client: Doc | None, project_id: str = "") -> None:
    """A name is unique per client, archived projects included (docs/clockify-api.md §19.4),
    with Clockify's message: the client's name, empty without one (two spaces). Names
    compare as `name_key` says."""
    taken = call.db.execute(
        "SELECT 1 FROM projects WHERE workspace_id = ? AND name_key = ?"
        " AND json_extract(doc, '$.clientId') = ? AND id != ?",
        (call.params["workspace"], name_key(name), client["id"] if client else "", project_id),
    ).fetchone()
    if taken:
        client_name = client["name"] if client else ""
        raise ApiError(400, f"{name} project for client {client_name} already exists.", 501)


def create_project(call: Call) -> Response:
    data = call.json(_PROJECT_BODY)
    name = _checked_name(data)
    color = checked_color(data)
    client = find_client(call, string_field(data, "clientId"))
    refuse_taken(call, name, client)
    billable = boolean_field(data, "billable")
    doc = _docs.project(
        call.new_id(),
        name,
        call.workspace,
        call.user_id,
        client=client,
        public=bool(boolean_field(data, "isPublic")),
        # Omitted, it follows the workspace's default (docs/clockify-api.md §19.5).
        billable=call.workspace["workspaceSettings"]["defaultBillableProjects"]
        if billable is None
        else billable,
        color=color or "#03A9F4",
        note=string_field(data, "note") or "",
        hourly_rate=amount_field(data, "hourlyRate") or 0,
        cost_rate=amount_field(data, "costRate"),
    )
    insert_projects(call.db, [doc])
    emit(call, "NEW_PROJECT", doc)
    return Response.json(201, dump(doc))


def update_project(call: Call) -> Response:
    """A replace (docs/clockify-api.md §19.2): `name` is needed; omitted colour, note,
    archived state, client and rates are kept; omitted `billable` and `isPublic` become
    false. An empty `clientId` takes the project off its client (INFERRED)."""
    data = call.json(_UPDATE_BODY)
    doc = stored_project(call)
    name = _checked_name(data)
    color = checked_color(data)
    client_id = string_field(data, "clientId")
    if client_id is None:
        client = find_client(call, doc["clientId"] or None)
    else:
        client = find_client(call, client_id)
    refuse_taken(call, name, client, doc["id"])
    archived = boolean_field(data, "archived")
    note = string_field(data, "note")
    hourly_rate, cost_rate = amount_field(data, "hourlyRate"), amount_field(data, "costRate")
    currency = call.workspace["hourlyRate"]["currency"]
    doc.update(
        name=name,
        clientId=client["id"] if client else "",
        clientName=client["name"] if client else "",
        billable=bool(boolean_field(data, "billable")),
        public=bool(boolean_field(data, "isPublic")),
        color=color or doc["color"],
        archived=doc["archived"] if archived is None else archived,
        note=doc["note"] if note is None else note,
    )
    if hourly_rate is not None:
        doc["hourlyRate"] = {"amount": hourly_rate, "currency": currency}
    if cost_rate is not None:
        doc["costRate"] = {"amount": cost_rate, "currency": currency}
    call.db.execute(
        "UPDATE projects SET name_key = ?, archived = ?, doc = ? WHERE id = ?",
        (name_key(name), doc["archived"], dump(doc), doc["id"]),
    )
    emit(call, "PROJECT_UPDATED", doc)
    return Response.json(200, dump(doc))


def insert_projects(db: sqlite3.Connection, docs: list[Doc]) -> None:
    db.executemany(
        "INSERT INTO projects (id, workspace_id, name_key, archived, doc) VALUES (?, ?, ?, ?, ?)",
        [(d["id"], d["workspaceId"], name_key(d["name"]), d["archived"], dump(d)) for d in docs],
    )


def add_tracked_time(db: sqlite3.Connection, project_id: str | None, seconds: int) -> None:
    """Keeps a project's `duration` the sum of its finished entries, as Clockify reports it."""
    if project_id is None:
        return
    (total,) = db.execute(
        "UPDATE projects SET tracked_seconds = tracked_seconds + ? WHERE id = ?"
        " RETURNING tracked_seconds",
        (seconds, project_id),
    ).fetchone()
    db.execute(
        "UPDATE projects SET doc = json_set(doc, '$.duration', ?) WHERE id = ?",
        (format_duration(total), project_id),
    )
