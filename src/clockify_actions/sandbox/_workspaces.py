"""The caller's workspaces: one read, as `GET /workspaces/{ws}` sends it (docs/clockify-api.md
§14), and a new one created (`POST /workspaces`, the spec's 201 `WorkspaceDtoV1`)."""

from __future__ import annotations

from . import _docs
from ._call import ADAPTERS, AUTH, Body, Call, string_field
from ._errors import ApiError
from ._http import Response
from ._store import dump, insert_workspace

_CREATE_BODY = Body(
    f"{ADAPTERS}.requests.CreateWorkspaceRequestV1",
    f"public {ADAPTERS}.dto.WorkspaceDtoV1 {ADAPTERS}.workspace.WorkspaceHttpAdapter.create("
    f"{ADAPTERS}.requests.CreateWorkspaceRequestV1,{AUTH})",
)


def get_workspace(call: Call) -> Response:
    # The routing has already refused (403) a workspace the caller is not a member of.
    return Response.json(200, call.workspace_doc)


def create_workspace(call: Call) -> Response:
    """The caller becomes its only member; its currency is USD, as a new account's is
    (INFERRED). An empty name is refused (the live wording is unknown)."""
    name = (string_field(call.json(_CREATE_BODY), "name") or "").strip()
    if not name:
        raise ApiError(400, "Workspace name is required", 501)
    doc = _docs.workspace(call.new_id(), name, "USD", [call.user_id])
    insert_workspace(call.db, doc)
    return Response.json(201, dump(doc))
