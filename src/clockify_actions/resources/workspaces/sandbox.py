"""The caller's workspaces: listed, one read, as `GET /workspaces/{ws}` sends it
(docs/clockify-api.md §14), and a new one created (`POST /workspaces`, the spec's 201
`WorkspaceDtoV1`); the seeded workspaces."""

from __future__ import annotations

import sqlite3

from clockify_actions.sandbox import _docs
from clockify_actions.sandbox._call import ADAPTERS, AUTH, Body, Call, string_field
from clockify_actions.sandbox._errors import ApiError
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._resources import Resource, Route
from clockify_actions.sandbox._seed import (
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    FORCED_PROJECT_WORKSPACE_ID,
    FOREIGN_WORKSPACE_ID,
    OTHER_USER_ID,
    SECOND_WORKSPACE_ID,
)
from clockify_actions.sandbox._store import dump, insert_workspace

_CREATE_BODY = Body(
    f"{ADAPTERS}.requests.CreateWorkspaceRequestV1",
    f"public {ADAPTERS}.dto.WorkspaceDtoV1 {ADAPTERS}.workspace.WorkspaceHttpAdapter.create("
    f"{ADAPTERS}.requests.CreateWorkspaceRequestV1,{AUTH})",
)


def get_workspace(call: Call) -> Response:
    # The routing has already refused (403) a workspace the caller is not a member of.
    return Response.json(200, call.workspace_doc)


def list_workspaces(call: Call) -> Response:
    # Not paginated: `page` and `page-size` are ignored and no Last-Page header is sent.
    rows = call.db.execute(
        "SELECT w.doc FROM memberships m JOIN workspaces w ON w.id = m.workspace_id"
        " WHERE m.user_id = ? ORDER BY m.rowid",
        (call.user_id,),
    )
    return Response.json(200, f"[{','.join(doc for (doc,) in rows)}]")


def create_workspace(call: Call) -> Response:
    """The caller becomes its only member; its currency is USD, as a new account's is
    (INFERRED). An empty name is refused (the live wording is unknown)."""
    name = (string_field(call.json(_CREATE_BODY), "name") or "").strip()
    if not name:
        raise ApiError(400, "Workspace name is required", 501)
    # A new workspace starts on the Free plan (INFERRED: Clockify's sign-up gives Free).
    doc = _docs.workspace(call.new_id(), name, "USD", [call.user_id], plan="free")
    insert_workspace(call.db, doc)
    return Response.json(201, dump(doc))


def _seed(db: sqlite3.Connection) -> None:
    for workspace in (
        # On Pro, so that every paid module can be tried at once; the second workspace on
        # Free, where they are refused as Clockify refuses them.
        _docs.workspace(DEMO_WORKSPACE_ID, "My Workspace", "USD", [DEMO_USER_ID], plan="pro"),
        _docs.workspace(
            SECOND_WORKSPACE_ID, "Second Workspace", "EUR", [DEMO_USER_ID], plan="free"
        ),
        _docs.workspace(
            FORCED_PROJECT_WORKSPACE_ID,
            "Projects Required",
            "USD",
            [DEMO_USER_ID],
            force_projects=True,
        ),
        _docs.workspace(FOREIGN_WORKSPACE_ID, "Other's Workspace", "USD", [OTHER_USER_ID]),
    ):
        insert_workspace(db, workspace)


RESOURCE = Resource(
    routes=(
        Route(
            "/workspaces",
            {"GET": list_workspaces, "POST": create_workspace},
            enums={"roles": ("WORKSPACE_ADMIN", "OWNER", "TEAM_MANAGER", "PROJECT_MANAGER")},
        ),
        # Its other methods get Spring's 405 (PUT and PATCH live, docs/clockify-api.md §3,
        # §14), as `POST /workspaces//projects` does once Spring's matcher has dropped the
        # empty segment (§5).
        Route("/workspaces/{workspace}", {"GET": get_workspace}),
    ),
    seed=_seed,
)
