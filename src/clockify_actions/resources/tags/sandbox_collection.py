"""A workspace's tags: listed and created (docs/clockify-api.md §16).

`/tags` binds its query into a filter object, so a paging value that does not convert is
refused with code 501 and the bare "For input string" message (§10.2, §25.1), unlike the
routes that bind parameters one by one.
"""

from __future__ import annotations

import sqlite3

from clockify_actions.sandbox import _docs
from clockify_actions.sandbox._call import ADAPTERS, AUTH, Body, Call, string_field
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._errors import ApiError
from clockify_actions.sandbox._events import emit
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._params import paged_docs
from clockify_actions.sandbox._store import dump, name_key

_TAG_BODY = Body(
    f"{ADAPTERS}.requests.TagRequest",
    f"public {ADAPTERS}.dto.TagDtoV1 {ADAPTERS}.tag.TagHttpAdapter.create("
    f"java.lang.String,{ADAPTERS}.requests.TagRequest,{AUTH})",
)


def list_tags(call: Call) -> Response:
    number, size = call.page(50, 5000)
    archived = call.flag("archived")
    strict = call.flag("strict-name-search")
    name = name_key(call.text("name") or "")
    rows = call.db.execute(
        "SELECT name, archived, doc FROM tags WHERE workspace_id = ?", (call.params["workspace"],)
    )
    kept = sorted(
        (name_key(tag_name), doc)
        for tag_name, is_archived, doc in rows
        if (archived is None or bool(is_archived) == archived)
        and (not name or (name_key(tag_name) == name if strict else name in name_key(tag_name)))
    )
    return paged_docs([doc for _, doc in kept], number, size)


def create_tag(call: Call) -> Response:
    data = call.json(_TAG_BODY)
    name = (string_field(data, "name") or "").strip()
    if not name:
        # Live wording for an empty tag name is unknown; the client route's is used.
        raise ApiError(400, "Tag name is required", 501)
    taken = call.db.execute(
        "SELECT name FROM tags WHERE workspace_id = ?", (call.params["workspace"],)
    ).fetchall()
    if any(name_key(existing) == name_key(name) for (existing,) in taken):
        # Archived tags keep their names taken; Clockify's text (§16.2) has no quotes.
        raise ApiError(400, f"Tag with name {name} already exists", 501)
    doc = _docs.tag(call.new_id(), name, call.params["workspace"])
    insert_tags(call.db, [doc])
    emit(call, "NEW_TAG", doc)
    return Response.json(201, dump(doc))


def insert_tags(db: sqlite3.Connection, docs: list[Doc]) -> None:
    db.executemany(
        "INSERT INTO tags (id, workspace_id, name, archived, doc) VALUES (?, ?, ?, ?, ?)",
        [(d["id"], d["workspaceId"], d["name"], d["archived"], dump(d)) for d in docs],
    )
