"""Time-off policies: listed, read, created, replaced, archived and deleted
(docs/clockify-api.md §30.1).

- `GET /time-off/policies` → 200, a bare array with `Last-Page`; `status` ACTIVE, ARCHIVED
  or ALL (omitted: all, INFERRED), `name` contained, ignoring case (INFERRED, as other
  lists); page size 50 by default, at most 200 (LIKELY). Ordered by name (INFERRED).
- `POST` → **201**; `name` (2 to 100) and `approve` are required, a missing one answered 400
  "must not be null" (code 501, CONFIRMED-LIVE(1) for `approve`). Assignees are written as
  filters, `users: {contains, ids, status}`, and read flat as `userIds`; `hasExpiration`,
  `color` and `icon` are taken and never read back.
- `PUT /{id}` replaces the policy: every field the spec requires must be sent ("must not
  be null" otherwise); what is left out of the optional ones is cleared.
- `PATCH /{id} {status}`: ACTIVE or ARCHIVED; `ALL` → 400 "Invalid status".
- `DELETE /{id}` → 200, only once archived; the answer's body is unknown (the sandbox sends
  the deleted policy), and so is the text refusing an active one (the sandbox's is its own).
"""

from __future__ import annotations

from typing import Any

from clockify_actions.resources.time_off.sandbox_shared import (
    require_admin,
    save_policy,
    stored_policy,
)
from clockify_actions.sandbox._call import ADAPTERS, AUTH, Body, Call
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._errors import ApiError, body_error
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._params import page, paged_docs
from clockify_actions.sandbox._store import dump, name_key

_REQUESTS = f"{ADAPTERS}.requests.timeoff"


def _body(kind: str, method: str) -> Body:
    return Body(
        f"{_REQUESTS}.{kind}",
        f"public {ADAPTERS}.dto.PolicyDtoV1 {ADAPTERS}.timeoff.PolicyHttpAdapter.{method}("
        f"java.lang.String,java.lang.String,{_REQUESTS}.{kind},{AUTH})",
    )


_CREATE = _body("CreatePolicyRequestV1", "create")
_UPDATE = _body("UpdatePolicyRequestV1", "update")
_STATUS = _body("ChangePolicyStatusRequestV1", "changeStatus")
_UNITS = ("DAYS", "HOURS")
_UPDATE_REQUIRED = (
    "allowHalfDay",
    "allowNegativeBalance",
    "approve",
    "archived",
    "everyoneIncludingNew",
    "hasExpiration",
    "name",
    "userGroups",
    "users",
)


def _null() -> ApiError:
    return ApiError(400, "must not be null", 501)


def _typed(data: Doc, key: str, kind: type, java: str, default: Any = None) -> Any:
    value = data.get(key)
    if value is None:
        return default
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise body_error(java, value)
    return value


def _number(data: Doc, key: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise body_error("java.lang.Double", value)
    return float(value)


def _assignees(call: Call, data: Doc, key: str) -> list[str]:
    """A `{contains, ids, status}` filter, read back flat: the ids it names, or with
    DOES_NOT_CONTAIN every member but them (INFERRED)."""
    chosen = _typed(data, key, dict, f"{ADAPTERS}.requests.UserIdsSchema", {})
    ids = _typed(chosen, "ids", list, "java.util.Set<java.lang.String>", [])
    if not all(isinstance(item, str) for item in ids):
        raise body_error("java.util.Set<java.lang.String>", ids)
    if chosen.get("contains") == "DOES_NOT_CONTAIN" and key == "users":
        members = call.db.execute(
            "SELECT user_id FROM memberships WHERE workspace_id = ? ORDER BY user_id",
            (call.params["workspace"],),
        ).fetchall()
        return [uid for (uid,) in members if uid not in ids]
    return list(dict.fromkeys(ids))


def _approve(data: Doc) -> Doc:
    approve = data.get("approve")
    if approve is None:
        raise _null()
    if not isinstance(approve, dict):
        raise body_error(f"{ADAPTERS}.dto.PolicyApprovalDto", approve)
    user_ids = _typed(approve, "userIds", list, "java.util.Set<java.lang.String>", [])
    return {
        "requiresApproval": bool(_typed(approve, "requiresApproval", bool, "boolean", False)),
        "teamManagers": bool(_typed(approve, "teamManagers", bool, "boolean", False)),
        "specificMembers": bool(_typed(approve, "specificMembers", bool, "boolean", False)),
        "userIds": list(dict.fromkeys(user_ids)),
    }


def _name(data: Doc) -> str:
    name = _typed(data, "name", str, "java.lang.String")
    if name is None:
        raise _null()
    name = name.strip()
    if not 2 <= len(name) <= 100:
        # The wording of the recorded webhook-name refusal (part 2 of the facts), INFERRED.
        raise ApiError(400, "length must be between 2 and 100", 501)
    return str(name)


def _policy(call: Call, data: Doc, policy_id: str, unit: str) -> Doc:
    name = _name(data)
    approve = _approve(data)
    negative = _typed(data, "negativeBalance", dict, f"{ADAPTERS}.NegativeBalanceRequest")
    accrual = _typed(data, "automaticAccrual", dict, f"{ADAPTERS}.AutomaticAccrualRequest")
    creation = _typed(data, "automaticTimeEntryCreation", dict, "AutomaticTimeEntryCreation")
    defaults = (creation or {}).get("defaultEntities") or {}
    return {
        "id": policy_id,
        "workspaceId": call.params["workspace"],
        "name": name,
        "allowNegativeBalance": bool(_typed(data, "allowNegativeBalance", bool, "boolean")),
        "negativeBalance": None
        if negative is None
        else {
            "amount": _number(negative, "amount") or 0.0,
            "period": negative.get("period"),
            "shouldReset": bool(negative.get("shouldReset")),
            "timeUnit": negative.get("timeUnit") or unit,
        },
        "allowHalfDay": bool(_typed(data, "allowHalfDay", bool, "boolean")),
        "archived": bool(_typed(data, "archived", bool, "boolean")),
        "timeUnit": unit,
        "userIds": _assignees(call, data, "users"),
        "userGroupIds": _assignees(call, data, "userGroups"),
        "everyoneIncludingNew": bool(_typed(data, "everyoneIncludingNew", bool, "boolean")),
        "approve": approve,
        "automaticAccrual": None
        if accrual is None
        else {
            "amount": _number(accrual, "amount") or 0.0,
            "period": accrual.get("period"),
            "timeUnit": accrual.get("timeUnit") or unit,
        },
        "projectId": None,
        # Off when not sent (INFERRED; the live policy read had it on, as it was made so).
        "automaticTimeEntryCreation": {
            "enabled": bool((creation or {}).get("enabled")),
            "defaultEntities": {
                "projectId": defaults.get("projectId"),
                "taskId": defaults.get("taskId"),
            },
        },
    }


def _unit(data: Doc, default: str) -> str:
    unit = _typed(data, "timeUnit", str, "java.lang.String") or default
    if unit not in _UNITS:
        raise ApiError(
            400,
            f"JSON parse error: Cannot deserialize value of type `TimeUnit` from String"
            f' "{unit}": not one of the values accepted for Enum class: [DAYS, HOURS]',
            3002,
        )
    return str(unit)


def list_policies(call: Call) -> Response:
    where = ["workspace_id = ?"]
    args: list[Any] = [call.params["workspace"]]
    status = call.text("status") or "ALL"
    if status != "ALL":
        where.append("archived = ?")
        args.append(status == "ARCHIVED")
    number, size = page(call, 50, 200)
    rows = call.db.execute(
        f"SELECT name, doc FROM time_off_policies WHERE {' AND '.join(where)} ORDER BY name, id",
        tuple(args),
    ).fetchall()
    wanted = name_key(call.text("name") or "")
    return paged_docs([doc for name, doc in rows if wanted in name_key(name)], number, size)


def get_policy(call: Call) -> Response:
    return Response.json(200, dump(stored_policy(call, call.params["policy"])))


def create_policy(call: Call) -> Response:
    require_admin(call)
    data = call.json(_CREATE)
    doc = _policy(call, data, call.new_id(), _unit(data, "DAYS"))
    save_policy(call, doc)
    return Response.json(201, dump(doc))


def update_policy(call: Call) -> Response:
    require_admin(call)
    old = stored_policy(call, call.params["policy"])
    data = call.json(_UPDATE)
    if any(data.get(key) is None for key in _UPDATE_REQUIRED):
        raise _null()
    # The unit is not in the update's body ([SPEC] UpdatePolicyRequestV1): it stays.
    doc = _policy(call, data, old["id"], old["timeUnit"])
    save_policy(call, doc)
    return Response.json(200, dump(doc))


def change_policy_status(call: Call) -> Response:
    require_admin(call)
    doc = stored_policy(call, call.params["policy"])
    status = _typed(call.json(_STATUS), "status", str, "java.lang.String")
    if status is None:
        raise _null()
    if status == "ALL":
        raise ApiError(400, "Invalid status", 501)
    if status not in ("ACTIVE", "ARCHIVED"):
        raise ApiError(
            400,
            "JSON parse error: Cannot deserialize value of type `PolicyStatus` from String"
            f' "{status}": not one of the values accepted for Enum class: [ACTIVE, ARCHIVED, ALL]',
            3002,
        )
    doc["archived"] = status == "ARCHIVED"
    save_policy(call, doc)
    return Response.json(200, dump(doc))


def delete_policy(call: Call) -> Response:
    require_admin(call)
    doc = stored_policy(call, call.params["policy"])
    if not doc["archived"]:
        # Clockify requires archiving first ([CSPEC] note); its words are unrecorded.
        raise ApiError(400, "Archive the policy before deleting it", 501)
    call.db.execute("DELETE FROM time_off_policies WHERE id = ?", (doc["id"],))
    call.db.execute("DELETE FROM time_off_balances WHERE policy_id = ?", (doc["id"],))
    return Response.json(200, dump(doc))
