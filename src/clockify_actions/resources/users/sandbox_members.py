"""A workspace's members administered: status, roles, managers, profiles, invitations, and
the filtered member search (Clockify's API facts, part 3, §37.3, §40 item 43).

- `PUT /users/{uid} {status: ACTIVE|INACTIVE}` → 200, the workspace with the member's
  `membershipStatus` set.
- `POST /users/{uid}/roles {entityId, role, sourceType?}` → **201**, the member's roles as
  `[{role: {id, name, source}, userId, workspaceId}]`; `DELETE` with the same body → 204.
  What `entityId` names per role is INFERRED (§37.3): the managed user for TEAM_MANAGER.
- `GET /users/{uid}/managers` → 200, a bare array of the members whose TEAM_MANAGER role
  names the user, with `Last-Page`.
- `POST /users/info` (camelCase body) → 200, a bare array of members, as `GET /users` lists.
- `GET|PATCH /member-profile/{uid}` → 200, the profile's ten keys; `PUT` → 405 `Allow: GET,
  PATCH`.
- `POST /users {email}` → 200, the workspace with the invited member (never run live, so
  the answer is the spec's; an address already a member's is refused, INFERRED).
- `PUT /users/{uid}/custom-field/{id}/value` → the sandbox keeps no custom fields, so every
  field id is one not of the workspace (400, INFERRED wording).
"""

from __future__ import annotations

import json
import secrets

from clockify_actions.resources.users.sandbox_listing import members
from clockify_actions.sandbox import _docs
from clockify_actions.sandbox._call import ADAPTERS, AUTH, Body, Call, string_field, strings_field
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._errors import ApiError, body_error, not_belonging
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._params import page, paged_docs
from clockify_actions.sandbox._store import dump, insert_user

_STATUS_BODY = Body(
    f"{ADAPTERS}.requests.UpdateUserStatusRequest",
    f"public {ADAPTERS}.dto.WorkspaceDtoV1 {ADAPTERS}.user.UserHttpAdapter.updateStatus("
    f"java.lang.String,java.lang.String,{ADAPTERS}.requests.UpdateUserStatusRequest,{AUTH})",
)
_ROLE_BODY = Body(
    f"{ADAPTERS}.requests.RoleRequestV1",
    f"public java.util.List {ADAPTERS}.user.UserHttpAdapter.role("
    f"java.lang.String,java.lang.String,{ADAPTERS}.requests.RoleRequestV1,{AUTH})",
)
_FILTER_BODY = Body(
    f"{ADAPTERS}.requests.GetUsersRequestV1",
    f"public java.util.List {ADAPTERS}.user.UserHttpAdapter.filter("
    f"java.lang.String,{ADAPTERS}.requests.GetUsersRequestV1,{AUTH})",
)
_PROFILE_BODY = Body(
    f"{ADAPTERS}.requests.MemberProfileFullRequestV1",
    f"public {ADAPTERS}.dto.MemberProfileDtoV1 {ADAPTERS}.user.MemberProfileHttpAdapter.update("
    f"java.lang.String,java.lang.String,{ADAPTERS}.requests.MemberProfileFullRequestV1,{AUTH})",
)
_ADD_BODY = Body(
    f"{ADAPTERS}.requests.AddUserToWorkspaceRequest",
    f"public {ADAPTERS}.dto.WorkspaceDtoV1 {ADAPTERS}.workspace.WorkspaceHttpAdapter.addUsers("
    f"java.lang.String,{ADAPTERS}.requests.AddUserToWorkspaceRequest,{AUTH})",
)
_ROLES = ("WORKSPACE_ADMIN", "TEAM_MANAGER", "PROJECT_MANAGER")
_DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


def _save_workspace(call: Call, doc: Doc) -> Response:
    call.db.execute("UPDATE workspaces SET doc = ? WHERE id = ?", (dump(doc), doc["id"]))
    return Response.json(200, dump(doc))


def update_status(call: Call) -> Response:
    user_id = call.member(call.params["user"])
    status = string_field(call.json(_STATUS_BODY), "status")
    if status not in ("ACTIVE", "INACTIVE"):
        raise body_error(f"{ADAPTERS}.requests.MembershipStatus", status or "")
    doc = dict(call.workspace)
    for membership in doc["memberships"]:
        if membership["userId"] == user_id:
            membership["membershipStatus"] = status
            break
    else:
        membership = _docs.membership(user_id, doc["id"], "WORKSPACE")
        doc["memberships"].append({**membership, "membershipStatus": status})
    return _save_workspace(call, doc)


def _role_request(call: Call) -> tuple[str, str, str]:
    user_id = call.member(call.params["user"])
    data = call.json(_ROLE_BODY)
    role, entity_id = string_field(data, "role"), string_field(data, "entityId")
    if role is None or entity_id is None:
        raise ApiError(400, "must not be null", 501)  # both required; unrecorded wording
    if role not in _ROLES:
        raise body_error(f"{ADAPTERS}.requests.RoleName", role)
    return user_id, role, entity_id


def _roles(call: Call, user_id: str) -> list[Doc]:
    rows = call.db.execute(
        "SELECT role, entity_id FROM member_roles WHERE workspace_id = ? AND user_id = ?"
        " ORDER BY rowid",
        (call.params["workspace"], user_id),
    )
    return [
        {
            "role": {"id": entity_id, "name": role, "source": None},
            "userId": user_id,
            "workspaceId": call.params["workspace"],
        }
        for role, entity_id in rows
    ]


def create_role(call: Call) -> Response:
    user_id, role, entity_id = _role_request(call)
    call.db.execute(
        "INSERT OR IGNORE INTO member_roles (workspace_id, user_id, role, entity_id)"
        " VALUES (?, ?, ?, ?)",
        (call.params["workspace"], user_id, role, entity_id),
    )
    return Response.json(201, dump(_roles(call, user_id)))


def delete_role(call: Call) -> Response:
    user_id, role, entity_id = _role_request(call)
    call.db.execute(
        "DELETE FROM member_roles WHERE workspace_id = ? AND user_id = ? AND role = ?"
        " AND entity_id = ?",
        (call.params["workspace"], user_id, role, entity_id),
    )
    return Response(204, b"")


def list_managers(call: Call) -> Response:
    user_id = call.member(call.params["user"])
    number, size = page(call)
    rows = call.db.execute(
        "SELECT u.doc FROM member_roles r JOIN users u ON u.id = r.user_id"
        " WHERE r.workspace_id = ? AND r.role = 'TEAM_MANAGER' AND r.entity_id = ?"
        " ORDER BY json_extract(u.doc, '$.email')",
        (call.params["workspace"], user_id),
    )
    return paged_docs([doc for (doc,) in rows], number, size)


def filter_users(call: Call) -> Response:
    """The members `GET /users` lists, asked for in a camelCase body (§37.3)."""
    data = call.json(_FILTER_BODY)
    number, size = data.get("page", 1), data.get("pageSize", 50)
    if not isinstance(number, int) or not isinstance(size, int) or number < 1 or size < 1:
        raise ApiError(400, "Page and page size must be positive values", 501)  # unrecorded
    status = string_field(data, "status")
    found = members(
        call, string_field(data, "email") or "", string_field(data, "name") or "", status
    )
    chosen = found[(number - 1) * size : number * size]
    return Response.json(200, f"[{','.join(chosen)}]")


def _profile(call: Call, user_id: str) -> Doc:
    (text,) = call.db.execute("SELECT doc FROM users WHERE id = ?", (user_id,)).fetchone()
    user = json.loads(text)
    settings = user["settings"] or {}
    profile: Doc = {
        "email": user["email"],
        "hasPassword": user["status"] == "ACTIVE",
        "hasPendingApprovalRequest": False,
        "imageUrl": user["profilePicture"],
        "name": user["name"],
        "userCustomFieldValues": [],
        "weekStart": settings.get("weekStart", "MONDAY"),
        "workCapacity": "PT8H",
        "workingDays": list(call.workspace["workspaceSettings"]["workingDays"]),
        "workspaceNumber": 1,
    }
    row = call.db.execute(
        "SELECT doc FROM member_profiles WHERE workspace_id = ? AND user_id = ?",
        (call.params["workspace"], user_id),
    ).fetchone()
    return {**profile, **(json.loads(row[0]) if row else {})}


def get_member_profile(call: Call) -> Response:
    return Response.json(200, dump(_profile(call, call.member(call.params["user"]))))


def update_member_profile(call: Call) -> Response:
    user_id = call.member(call.params["user"])
    data = call.json(_PROFILE_BODY)
    changed: Doc = {}
    week_start = string_field(data, "weekStart")
    if week_start is not None:
        if week_start not in _DAYS:
            raise body_error(f"{ADAPTERS}.requests.DayOfWeek", week_start)
        changed["weekStart"] = week_start
    days = strings_field(data, "workingDays")
    if days is not None:
        if any(day not in _DAYS for day in days):
            raise body_error(f"{ADAPTERS}.requests.DayOfWeek", days)
        changed["workingDays"] = days
    capacity = string_field(data, "workCapacity")
    if capacity is not None:
        changed["workCapacity"] = capacity
    image = string_field(data, "imageUrl")
    if image is not None:
        changed["imageUrl"] = image
    row = call.db.execute(
        "SELECT doc FROM member_profiles WHERE workspace_id = ? AND user_id = ?",
        (call.params["workspace"], user_id),
    ).fetchone()
    stored = {**(json.loads(row[0]) if row else {}), **changed}
    call.db.execute(
        "INSERT OR REPLACE INTO member_profiles (workspace_id, user_id, doc) VALUES (?, ?, ?)",
        (call.params["workspace"], user_id, dump(stored)),
    )
    return Response.json(200, dump(_profile(call, user_id)))


def add_user(call: Call) -> Response:
    email = (string_field(call.json(_ADD_BODY), "email") or "").strip()
    if "@" not in email:
        raise ApiError(400, "email: must be a well-formed email address", 501)  # unrecorded
    taken = call.db.execute(
        "SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = ?"
        " AND lower(json_extract(u.doc, '$.email')) = ?",
        (call.params["workspace"], email.lower()),
    ).fetchone()
    if taken:
        raise ApiError(400, f"User with email {email} is already a member", 501)  # unrecorded
    user_id = call.new_id()
    invited = {
        **_docs.user(user_id, "", email, "UTC", call.params["workspace"]),
        "name": None,
        "settings": None,
        "status": "PENDING_EMAIL_VERIFICATION",
    }
    # An invited user has no key of its own: an unguessable one that nobody is given.
    insert_user(call.db, invited, secrets.token_hex(32), None)
    call.db.execute(
        "INSERT INTO memberships (user_id, workspace_id) VALUES (?, ?)",
        (user_id, call.params["workspace"]),
    )
    doc = dict(call.workspace)
    membership = _docs.membership(user_id, doc["id"], "WORKSPACE")
    doc["memberships"].append({**membership, "membershipStatus": "PENDING"})
    return _save_workspace(call, doc)


def upsert_custom_field_value(call: Call) -> Response:
    call.member(call.params["user"])
    raise not_belonging("Custom field")
