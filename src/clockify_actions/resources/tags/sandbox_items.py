"""One tag: read, replaced and deleted (docs/clockify-api.md §16.2, and part 3 of
Clockify's API facts, §32.2).

- `GET /tags/{id}` → 200, the four-key tag; an id not of the workspace → 400 "Tag doesn't
  belong to Workspace" (as on time entries, §16.2).
- `PUT /tags/{id}` replaces it: `name` (≤100) and `archived`, which **un-archives** the tag
  when omitted ([LEDGER] `tags.update.replace-resets-archived`); another tag's name → 400
  "Tag with name … already exists" (LIKELY, as on create).
- `DELETE /tags/{id}` → 200 with the deleted tag; an active tag may be deleted (LIKELY, no
  archive-first rule was observed). What becomes of entries holding its id is unknown
  live: they keep it.
"""

from __future__ import annotations

import json

from clockify_actions.sandbox._call import ADAPTERS, AUTH, Body, Call, boolean_field, string_field
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._errors import ApiError, not_belonging
from clockify_actions.sandbox._events import emit
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._store import dump, name_key

_UPDATE_BODY = Body(
    f"{ADAPTERS}.requests.UpdateTagRequest",
    f"public {ADAPTERS}.dto.TagDtoV1 {ADAPTERS}.tag.TagHttpAdapter.update("
    f"java.lang.String,java.lang.String,{ADAPTERS}.requests.UpdateTagRequest,{AUTH})",
)


def _stored(call: Call) -> Doc:
    row = call.db.execute(
        "SELECT doc FROM tags WHERE id = ? AND workspace_id = ?",
        (call.params["tag"], call.params["workspace"]),
    ).fetchone()
    if row is None:
        raise not_belonging("Tag")
    doc: Doc = json.loads(row[0])
    return doc


def get_tag(call: Call) -> Response:
    return Response.json(200, dump(_stored(call)))


def update_tag(call: Call) -> Response:
    doc = _stored(call)
    data = call.json(_UPDATE_BODY)
    name = (string_field(data, "name") or "").strip()
    if not name:
        # Live wording for an empty name is unknown; the create route's is used.
        raise ApiError(400, "Tag name is required", 501)
    if len(name) > 100:
        raise ApiError(400, "Tag name has to be between 1 and 100 characters long", 501)  # guess
    others = call.db.execute(
        "SELECT name FROM tags WHERE workspace_id = ? AND id != ?",
        (call.params["workspace"], doc["id"]),
    ).fetchall()
    if any(name_key(other) == name_key(name) for (other,) in others):
        raise ApiError(400, f"Tag with name {name} already exists", 501)
    doc.update(name=name, archived=bool(boolean_field(data, "archived")))
    call.db.execute(
        "UPDATE tags SET name = ?, archived = ?, doc = ? WHERE id = ?",
        (name, doc["archived"], dump(doc), doc["id"]),
    )
    emit(call, "TAG_UPDATED", doc)
    return Response.json(200, dump(doc))


def delete_tag(call: Call) -> Response:
    doc = _stored(call)
    call.db.execute("DELETE FROM tags WHERE id = ?", (doc["id"],))
    emit(call, "TAG_DELETED", doc)
    return Response.json(200, dump(doc))
