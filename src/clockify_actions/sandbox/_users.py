"""The user behind the key, the workspaces it belongs to, and its uploaded images."""

from __future__ import annotations

import json
from email.parser import BytesParser
from email.policy import HTTP

from . import _docs
from ._call import Call
from ._errors import ApiError
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


def upload_image(call: Call) -> Response:
    """`POST /file/image`, multipart with a `file` part → 200 `{name, url}` (the spec's
    `UploadFileResponseV1`; the names Clockify gives stored images are INFERRED from its
    example, `image-01234567.jpg`). Nothing is kept: the sandbox serves no images."""
    kind = call.content_type or ""
    if not kind.lower().startswith("multipart/form-data"):
        raise ApiError(
            415, f"Content-Type '{kind or 'application/octet-stream'}' is not supported", 3000
        )
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + kind.encode("latin-1") + b"\r\n\r\n" + call.body
    )
    parts = [
        part
        for part in message.iter_parts()
        if part.get_param("name", header="content-disposition") == "file"
    ]
    if not parts:
        raise ApiError(400, "Required part 'file' is not present.", 3001)  # Spring's wording
    suffix = (parts[0].get_filename() or "").rpartition(".")[2] or "png"
    name = f"image-{call.new_id()[-8:]}.{suffix}"
    return Response.json(200, dump({"name": name, "url": f"https://img.clockify.me/{name}"}))
