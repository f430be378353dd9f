"""A workspace's members, as `GET /workspaces/{ws}/users` lists them (docs/clockify-api.md §18).

Each is the 10-key user of `GET /user`, `memberships: []` (the default `memberships=NONE`);
`name` and `settings` are null for someone invited who has not signed up. A membership's
status is not stored: a member whose account is not ACTIVE is taken to be PENDING.
"""

from __future__ import annotations

import json

from clockify_actions.sandbox._call import Call
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._params import page, paged_docs


def list_users(call: Call) -> Response:
    number, size = page(call)
    status = call.text("status") or None  # its values are checked by `_params.QUERY_ENUMS`
    found = members(call, call.text("email") or "", call.text("name") or "", status)
    return paged_docs(found, number, size)


def members(call: Call, email: str, name: str, status: str | None) -> list[str]:
    """The workspace's members whose email and name contain the given text (ignoring case)
    and whose membership has `status` (None or ALL: any), by email as Clockify orders them."""
    email, name = email.casefold(), name.casefold()
    rows = call.db.execute(
        "SELECT u.doc FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = ?",
        (call.params["workspace"],),
    )
    kept: list[tuple[str, str, str]] = []
    for (text,) in rows:
        user = json.loads(text)
        membership = "ACTIVE" if user["status"] == "ACTIVE" else "PENDING"
        if status not in (None, "ALL", membership):
            continue
        if email not in (user["email"] or "").casefold():
            continue
        if name not in (user["name"] or "").casefold():
            continue
        kept.append((user["email"] or "", user["id"], text))
    # Clockify's default order: by email, ascending (§18).
    return [text for *_, text in sorted(kept)]
