"""Users: the one behind the key and its uploaded images; the members of a workspace
(`sandbox_listing`) and what an admin does to them (`sandbox_members`); the seeded users."""

from __future__ import annotations

import json
import sqlite3
from email.parser import BytesParser
from email.policy import HTTP

from clockify_actions.sandbox import _docs
from clockify_actions.sandbox._call import Call
from clockify_actions.sandbox._errors import ApiError
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._params import MEMBERSHIP_STATUSES, SORT_ORDERS
from clockify_actions.sandbox._resources import Resource, Route
from clockify_actions.sandbox._seed import (
    COLLEAGUE_API_KEY,
    COLLEAGUE_USER_ID,
    DEMO_ADDON_TOKEN,
    DEMO_API_KEY,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    FOREIGN_WORKSPACE_ID,
    INVITED_API_KEY,
    INVITED_USER_ID,
    OTHER_API_KEY,
    OTHER_USER_ID,
)
from clockify_actions.sandbox._store import dump, insert_user


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


def _seed(db: sqlite3.Connection) -> None:
    """The demo user and another account's; a colleague in the demo workspace, and
    someone invited there who has not signed up (no name, no settings:
    docs/clockify-api.md §18). Those two join the memberships only, so the workspace
    document stays as it was."""
    demo = _docs.user(
        DEMO_USER_ID, "Demo User", "demo.user@example.com", "Europe/Berlin", DEMO_WORKSPACE_ID
    )
    other = _docs.user(
        OTHER_USER_ID,
        "Other User",
        "other.user@example.com",
        "America/New_York",
        FOREIGN_WORKSPACE_ID,
    )
    insert_user(db, demo, DEMO_API_KEY, DEMO_ADDON_TOKEN)
    insert_user(db, other, OTHER_API_KEY, None)
    colleague = _docs.user(
        COLLEAGUE_USER_ID,
        "Sam Colleague",
        "sam.colleague@example.com",
        "Europe/London",
        DEMO_WORKSPACE_ID,
    )
    invited = {
        **_docs.user(INVITED_USER_ID, "", "pat.invited@example.com", "UTC", DEMO_WORKSPACE_ID),
        "name": None,
        "settings": None,
        "status": "NOT_REGISTERED",
    }
    insert_user(db, colleague, COLLEAGUE_API_KEY, None)
    insert_user(db, invited, INVITED_API_KEY, None)
    db.executemany(
        "INSERT INTO memberships (user_id, workspace_id) VALUES (?, ?)",
        [(COLLEAGUE_USER_ID, DEMO_WORKSPACE_ID), (INVITED_USER_ID, DEMO_WORKSPACE_ID)],
    )


_USER_SORT = ("ID", "EMAIL", "NAME", "NAME_LOWERCASE", "ACCESS", "HOURLYRATE", "COSTRATE")
_MEMBER = "/workspaces/{workspace}/users/{user}"

RESOURCE = Resource(
    routes=(
        Route("/user", {"GET": get_user}),
        Route("/file/image", {"POST": upload_image}),
        Route(
            "/workspaces/{workspace}/users",
            {"GET": "sandbox_listing:list_users", "POST": "sandbox_members:add_user"},
            enums={
                "status": MEMBERSHIP_STATUSES,
                "sort-column": _USER_SORT,
                "sort-order": SORT_ORDERS,
                "memberships": ("ALL", "NONE", "WORKSPACE", "PROJECT", "USERGROUP"),
            },
        ),
        Route("/workspaces/{workspace}/users/info", {"POST": "sandbox_members:filter_users"}),
        Route(_MEMBER, {"PUT": "sandbox_members:update_status"}),
        Route(
            f"{_MEMBER}/roles",
            {"POST": "sandbox_members:create_role", "DELETE": "sandbox_members:delete_role"},
        ),
        Route(
            f"{_MEMBER}/managers",
            {"GET": "sandbox_members:list_managers"},
            enums={"sort-column": _USER_SORT, "sort-order": SORT_ORDERS},
        ),
        Route(
            f"{_MEMBER}/custom-field/{{field}}/value",
            {"PUT": "sandbox_members:upsert_custom_field_value"},
        ),
        Route(
            "/workspaces/{workspace}/member-profile/{user}",
            {
                "GET": "sandbox_members:get_member_profile",
                "PATCH": "sandbox_members:update_member_profile",
            },
        ),
    ),
    added_tables=(
        # Members' roles and profiles in a workspace, which no document of a member carries.
        "CREATE TABLE IF NOT EXISTS member_roles ("
        " workspace_id TEXT NOT NULL, user_id TEXT NOT NULL, role TEXT NOT NULL,"
        " entity_id TEXT NOT NULL, PRIMARY KEY (workspace_id, user_id, role, entity_id))",
        "CREATE TABLE IF NOT EXISTS member_profiles ("
        " workspace_id TEXT NOT NULL, user_id TEXT NOT NULL, doc TEXT NOT NULL,"
        " PRIMARY KEY (workspace_id, user_id))",
    ),
    seed=_seed,
    # Their memberships follow those the workspaces' documents list.
    seed_after=("workspaces",),
)
