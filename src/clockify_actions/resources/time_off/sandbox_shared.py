"""What the time-off routes share: the stored policy, request and balance, who may act for
others, and the user a request names (docs/clockify-api.md, "Time off").

Who may act is not published per route. The sandbox follows Clockify's roles (part 3 of
the facts, its section 31.4): the workspace's owner and its admins (`WORKSPACE_ADMIN`, `OWNER`) manage
policies and balances, request for others, and approve; a policy's named approvers
(`approve.userIds`) approve too; anyone else is answered 403 `{"code": 501, "message":
"Access Denied"}`, the answer Clockify gives a role without the right (INFERRED per route).
An id that is no policy or request of the workspace is answered 400 "… doesn't belong to
Workspace", Clockify's answer for other entities (INFERRED: the time-off answer to an
unknown id was never recorded).
"""

from __future__ import annotations

import json
from typing import Any

from clockify_actions.sandbox._call import Call
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._errors import ApiError, not_belonging
from clockify_actions.sandbox._store import dump

_ADMIN_ROLES = ("WORKSPACE_ADMIN", "OWNER")


def is_admin(call: Call) -> bool:
    owners = {member["userId"] for member in call.workspace.get("memberships", [])}
    if call.user_id in owners:
        return True
    found = call.db.execute(
        "SELECT 1 FROM member_roles WHERE workspace_id = ? AND user_id = ? AND role IN (?, ?)",
        (call.params["workspace"], call.user_id, *_ADMIN_ROLES),
    ).fetchone()
    return found is not None


def require_admin(call: Call) -> None:
    if not is_admin(call):
        raise ApiError(403, "Access Denied", 501)


def stored_policy(call: Call, policy_id: str) -> Doc:
    row = call.db.execute(
        "SELECT doc FROM time_off_policies WHERE id = ? AND workspace_id = ?",
        (policy_id, call.params["workspace"]),
    ).fetchone()
    if row is None:
        raise not_belonging("Policy")
    doc: Doc = json.loads(row[0])
    return doc


def save_policy(call: Call, doc: Doc) -> None:
    call.db.execute(
        "INSERT OR REPLACE INTO time_off_policies (id, workspace_id, name, archived, doc)"
        " VALUES (?, ?, ?, ?, ?)",
        (doc["id"], doc["workspaceId"], doc["name"], doc["archived"], dump(doc)),
    )


def stored_request(call: Call, policy_id: str, request_id: str) -> Doc:
    row = call.db.execute(
        "SELECT doc FROM time_off_requests WHERE id = ? AND workspace_id = ? AND policy_id = ?",
        (request_id, call.params["workspace"], policy_id),
    ).fetchone()
    if row is None:
        raise not_belonging("Time off request")
    doc: Doc = json.loads(row[0])
    return doc


def save_request(db: Any, doc: Doc) -> None:
    db.execute(
        "INSERT OR REPLACE INTO time_off_requests"
        " (id, workspace_id, policy_id, user_id, status, start, doc) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            doc["id"],
            doc["workspaceId"],
            doc["policyId"],
            doc["userId"],
            doc["status"]["statusType"],
            doc["timeOffPeriod"]["period"]["start"],
            dump(doc),
        ),
    )


def user_of(call: Call, user_id: str) -> Doc:
    """A member of the workspace: 400 "User doesn't belong to Workspace" otherwise."""
    call.member(user_id)
    row = call.db.execute("SELECT doc FROM users WHERE id = ?", (user_id,)).fetchone()
    doc: Doc = json.loads(row[0]) if row else {"id": user_id}
    return doc


def balance_of(db: Any, policy: Doc, user_id: str) -> tuple[float, float]:
    """The user's `(balance, used)` on the policy: (0, 0) before anything was granted."""
    row = db.execute(
        "SELECT balance, used FROM time_off_balances WHERE policy_id = ? AND user_id = ?",
        (policy["id"], user_id),
    ).fetchone()
    return (float(row[0]), float(row[1])) if row else (0.0, 0.0)


def set_balance(call: Call, policy: Doc, user_id: str, balance: float, used: float) -> None:
    """Stores the user's balance on the policy; a first one gets its row's id."""
    changed = call.db.execute(
        "UPDATE time_off_balances SET balance = ?, used = ? WHERE policy_id = ? AND user_id = ?",
        (balance, used, policy["id"], user_id),
    ).rowcount
    if not changed:
        call.db.execute(
            "INSERT INTO time_off_balances (id, workspace_id, policy_id, user_id, balance, used)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (call.new_id(), policy["workspaceId"], policy["id"], user_id, balance, used),
        )


def move_balance(call: Call, policy: Doc, user_id: str, taken: float) -> None:
    """`taken` leaves the balance and joins `used` (negative: given back)."""
    balance, used = balance_of(call.db, policy, user_id)
    set_balance(call, policy, user_id, balance - taken, used + taken)
