"""Time-off balances: a policy's, a user's, and set for users (docs/clockify-api.md
§30.3).

- `GET /time-off/balance/policy/{p}` and `/balance/user/{u}` → 200 `{balances, count}` with
  `Last-Page`; `page` ≤1000, `page-size` 1..200 (50 by default), `sort` USER, POLICY, USED,
  BALANCE or TOTAL, `sort-order`. A row has the 14 live keys (`negativeBalanceUsed`
  included, which the spec lacks). A policy lists its assignees (everyone, for a policy of
  everyone), a user the policies they are assigned to or hold a balance on; a member with
  nothing granted has a row of zeros (INFERRED).
- `balance` is what is left: an approved request takes its `balanceDiff` from it into
  `used`. `total` is `balance + used`, all that was granted (INFERRED: the spec's example,
  balance 20, used 2, total 18, fits no rule and the live rows do not say).
  `negativeBalanceUsed` is how far below zero the balance is (INFERRED).
- `PATCH /time-off/balance/policy/{p} {userIds, value, note?}` → **204**. Whether `value`
  replaces the balance or is added to it is UNKNOWN live; the spec calls it "a new balance
  value", so the sandbox sets it. `userIds` needs at least one member, `value` lies in
  -10000..10000.
- A member reads their own balances; another's, a policy's, and setting one take an admin
  (INFERRED, as the roles of part 3 of the fact sheets have it for admin routes).
"""

from __future__ import annotations

import json

from clockify_actions.resources.time_off.sandbox_shared import (
    balance_of,
    require_admin,
    set_balance,
    stored_policy,
    user_of,
)
from clockify_actions.sandbox._call import ADAPTERS, AUTH, Body, Call
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._errors import ApiError, body_error
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._params import page
from clockify_actions.sandbox._store import dump

_UPDATE = Body(
    f"{ADAPTERS}.requests.timeoff.UpdateBalanceRequestV1",
    f"public void {ADAPTERS}.timeoff.BalanceHttpAdapter.update(java.lang.String,"
    f"java.lang.String,{ADAPTERS}.requests.timeoff.UpdateBalanceRequestV1,{AUTH})",
)


def _row(call: Call, policy: Doc, user: Doc) -> Doc:
    balance, used = balance_of(call.db, policy, user["id"])
    found = call.db.execute(
        "SELECT id FROM time_off_balances WHERE policy_id = ? AND user_id = ?",
        (policy["id"], user["id"]),
    ).fetchone()
    negative = policy.get("negativeBalance") or {}
    allowed = bool(policy["allowNegativeBalance"])
    return {
        # A member nothing was granted to has no stored row: an id of the sandbox's own.
        "id": found[0] if found else policy["id"][:12] + user["id"][12:],
        "userId": user["id"],
        "userName": user.get("name"),
        "policyId": policy["id"],
        "policyName": policy["name"],
        "policyTimeUnit": policy["timeUnit"],
        "policyArchived": policy["archived"],
        "workspaceId": policy["workspaceId"],
        "balance": balance,
        "used": used,
        "total": balance + used,
        "negativeBalanceAmount": float(negative.get("amount") or 0.0) if allowed else 0.0,
        "negativeBalanceLimit": allowed and bool(negative),
        "negativeBalanceUsed": max(0.0, -balance),
    }


def _members(call: Call) -> list[Doc]:
    rows = call.db.execute(
        "SELECT u.doc FROM memberships m JOIN users u ON u.id = m.user_id"
        " WHERE m.workspace_id = ? ORDER BY u.id",
        (call.params["workspace"],),
    ).fetchall()
    return [json.loads(doc) for (doc,) in rows]


def _holders(call: Call, policy_id: str) -> set[str]:
    rows = call.db.execute(
        "SELECT user_id FROM time_off_balances WHERE policy_id = ?", (policy_id,)
    ).fetchall()
    return {user_id for (user_id,) in rows}


def _assigned(call: Call, policy: Doc, user_id: str) -> bool:
    return (
        policy["everyoneIncludingNew"]
        or user_id in policy["userIds"]
        or user_id in _holders(call, policy["id"])
    )


def _answer(call: Call, rows: list[Doc]) -> Response:
    number, size = page(call, 50, 200)
    if number > 1000:
        raise ApiError(400, "must be less than or equal to 1000", 501)  # INFERRED words
    key = call.text("sort") or "USER"
    field = {
        "USER": "userName",
        "POLICY": "policyName",
        "USED": "used",
        "BALANCE": "balance",
        "TOTAL": "total",
    }[key]
    rows.sort(
        key=lambda row: (row[field] or "") if isinstance(row[field], str | None) else row[field]
    )
    if call.text("sort-order") == "DESCENDING":
        rows.reverse()
    start = (number - 1) * size
    chosen = rows[start : start + size]
    last = "true" if start + size >= len(rows) else "false"
    return Response.json(200, dump({"balances": chosen, "count": len(rows)}), {"Last-Page": last})


def policy_balances(call: Call) -> Response:
    policy = stored_policy(call, call.params["policy"])
    require_admin(call)
    users = [user for user in _members(call) if _assigned(call, policy, user["id"])]
    return _answer(call, [_row(call, policy, user) for user in users])


def user_balances(call: Call) -> Response:
    user = user_of(call, call.params["user"])
    if user["id"] != call.user_id:
        require_admin(call)
    rows = call.db.execute(
        "SELECT doc FROM time_off_policies WHERE workspace_id = ? ORDER BY name, id",
        (call.params["workspace"],),
    ).fetchall()
    policies = [json.loads(doc) for (doc,) in rows]
    chosen = [policy for policy in policies if _assigned(call, policy, user["id"])]
    return _answer(call, [_row(call, policy, user) for policy in chosen])


def update_balance(call: Call) -> Response:
    policy = stored_policy(call, call.params["policy"])
    require_admin(call)
    data = call.json(_UPDATE)
    user_ids, value, note = data.get("userIds"), data.get("value"), data.get("note")
    if user_ids is None or value is None:
        raise ApiError(400, "must not be null", 501)
    if not isinstance(user_ids, list) or not all(isinstance(u, str) for u in user_ids):
        raise body_error("java.util.Set<java.lang.String>", user_ids)
    if not user_ids:
        raise ApiError(400, "size must be between 1 and 2147483647", 501)  # INFERRED words
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise body_error("java.lang.Double", value)
    if not -10000 <= value <= 10000:
        word = "greater than or equal to -10000" if value < 0 else "less than or equal to 10000"
        raise ApiError(400, f"must be {word}", 501)  # INFERRED words
    if note is not None and not isinstance(note, str):
        raise body_error("java.lang.String", note)
    for user_id in dict.fromkeys(user_ids):
        user_of(call, user_id)
    for user_id in dict.fromkeys(user_ids):
        set_balance(call, policy, user_id, float(value), balance_of(call.db, policy, user_id)[1])
    return Response(204, b"", {})
