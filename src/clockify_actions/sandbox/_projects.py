"""A workspace's projects: listed, read and created.

Behaviour, messages and codes follow Clockify's live responses (see docs/clockify-api.md).
"""

from __future__ import annotations

import re

from . import _docs
from ._call import (
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
from ._clients import find_client
from ._errors import ApiError, not_belonging
from ._events import emit
from ._http import Response
from ._store import dump, insert_projects

_COLOR = re.compile(r"#[0-9a-fA-F]{6}")  # ProjectRequest.color's pattern in the spec
_PROJECT_BODY = Body(
    f"{ADAPTERS}.requests.ProjectRequest",
    f"public {ADAPTERS}.dto.ProjectDtoImplV1 {ADAPTERS}.project.ProjectHttpAdapter.create("
    f"java.lang.String,{ADAPTERS}.requests.ProjectRequest,{AUTH})",
)


def list_projects(call: Call) -> Response:
    condition, args = listing_filter(call, bool(call.flag("strict-name-search")))
    return paged(call, f"SELECT doc FROM projects WHERE {condition} ORDER BY name_key, id", args)


def get_project(call: Call) -> Response:
    row = call.db.execute(
        "SELECT doc FROM projects WHERE id = ? AND workspace_id = ?",
        (call.params["project"], call.params["workspace"]),
    ).fetchone()
    if row is None:
        raise not_belonging("Project")
    return Response.json(200, row[0])


def create_project(call: Call) -> Response:
    data = call.json(_PROJECT_BODY)
    name = string_field(data, "name")
    if name is None:
        raise ApiError(400, "Project name is required", 501)
    name = name.strip()
    if not 2 <= len(name) <= 250:
        raise ApiError(400, "Project name has to be between 2 and 250 characters long", 501)
    color = string_field(data, "color")
    if color is not None and not _COLOR.fullmatch(color):
        # The live message is unknown; this is Bean Validation's for the spec's pattern.
        raise ApiError(400, 'color: must match "^#(?:[0-9a-fA-F]{6}){1}$"', 501)
    client = find_client(call, string_field(data, "clientId"))
    # Confirmed live (docs/clockify-api.md §5): a taken name is refused while its project exists,
    # archived included. Unique per workspace, whatever the client, as docs/clockify-api.md states it;
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
        public=bool(boolean_field(data, "isPublic")),
        billable=bool(boolean_field(data, "billable")),
        color=color or "#03A9F4",
        note=string_field(data, "note") or "",
        hourly_rate=amount_field(data, "hourlyRate") or 0,
        cost_rate=amount_field(data, "costRate"),
    )
    insert_projects(call.db, [doc])
    emit(call, "NEW_PROJECT", doc)
    return Response.json(201, dump(doc))
