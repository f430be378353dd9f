"""The user behind the key, and the workspaces it belongs to."""

from __future__ import annotations

import json

from . import _docs
from ._call import Call
from ._http import Response
from ._store import dump


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
