"""What else a project's routes do beyond list, read, create and replace (`sandbox_collection`):
delete, estimates, memberships and templates (Clockify's API facts, part 3, §32.4 to §32.8).

- `DELETE /projects/{id}`: an active project → 400 "Cannot delete an active project"; an
  archived one → 200 with the project, its name freed and its tasks gone with it (INFERRED;
  what becomes of its entries is unknown live: they keep its id).
- `PATCH /projects/{id}/estimate` → 200, the project: `timeEstimate` (an ISO duration on
  write), `budgetEstimate` (an object once set), `estimateReset`; the legacy `estimate`
  mirrors the time estimate (§32.7).
- `PATCH /projects/{id}/memberships {memberships:[{userId, hourlyRate?, costRate?}]}`
  **replaces** the members; `POST … {userIds, remove}` adds or removes them; both → 200,
  the project (§32.5). A user not of the workspace → 400 "User doesn't belong to
  Workspace" (unknown live).
- `PATCH /projects/{id}/template {isTemplate}` → 200, the project with `template` set.
- `POST /projects/from-template {templateProjectId, name, clientId?, color?, isPublic?}` →
  **200**, a new project from the template (§32.8); what it copies is unknown live: here
  its billable flag, note and rates, not its tasks or members.
"""

from __future__ import annotations

import json

from clockify_actions.resources.clients.sandbox_collection import find_client
from clockify_actions.resources.projects.sandbox_collection import (
    checked_color,
    insert_projects,
    refuse_taken,
    stored_project,
)
from clockify_actions.resources.tasks.sandbox_collection import DURATION
from clockify_actions.sandbox import _docs
from clockify_actions.sandbox._call import (
    ADAPTERS,
    AUTH,
    Body,
    Call,
    amount_field,
    boolean_field,
    string_field,
    strings_field,
)
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._errors import ApiError, body_error, not_belonging
from clockify_actions.sandbox._events import emit
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._store import dump


def _body(name: str, method: str) -> Body:
    return Body(
        f"{ADAPTERS}.requests.{name}",
        f"public {ADAPTERS}.dto.ProjectDtoImplV1 {ADAPTERS}.project.ProjectHttpAdapter.{method}("
        f"java.lang.String,java.lang.String,{ADAPTERS}.requests.{name},{AUTH})",
    )


_ESTIMATE_BODY = _body("ProjectEstimateRequest", "updateEstimate")
_MEMBERSHIPS_BODY = _body("UpdateProjectMembershipsRequest", "updateMemberships")
_ADD_USERS_BODY = _body("AddUsersToProjectRequestV1", "addUsersToProject")
_TEMPLATE_BODY = _body("PatchProjectTemplateRequest", "updateIsProjectTemplate")
_FROM_TEMPLATE_BODY = _body("CreateProjectFromTemplateV1", "createFromTemplate")


def _saved(call: Call, doc: Doc, status: int = 200) -> Response:
    call.db.execute(
        "UPDATE projects SET archived = ?, doc = ? WHERE id = ?",
        (doc["archived"], dump(doc), doc["id"]),
    )
    emit(call, "PROJECT_UPDATED", doc)
    return Response.json(status, dump(doc))


def delete_project(call: Call) -> Response:
    doc = stored_project(call)
    if not doc["archived"]:
        raise ApiError(400, "Cannot delete an active project", 501)  # code LIKELY (§32.4)
    call.db.execute("DELETE FROM tasks WHERE project_id = ?", (doc["id"],))
    call.db.execute("DELETE FROM projects WHERE id = ?", (doc["id"],))
    emit(call, "PROJECT_DELETED", doc)
    return Response.json(200, dump(doc))


def _object(data: Doc, key: str, java_type: str) -> Doc | None:
    value = data.get(key)
    if value is None or isinstance(value, dict):
        return value
    raise body_error(f"{ADAPTERS}.requests.{java_type}", value)


_ESTIMATE_TYPES = ("AUTO", "MANUAL")
_RESET_OPTIONS = ("MONTHLY", "WEEKLY", "YEARLY")


def _enum(data: Doc, key: str, java_type: str, values: tuple[str, ...]) -> str | None:
    """An enum field as Jackson reads it: a name of the enum, or refused as Jackson refuses
    an unknown one (code 3002, as for any body it cannot read; the live text is unrecorded)."""
    value = string_field(data, key)
    if value is None or value in values:
        return value
    raise ApiError(
        400,
        f"JSON parse error: Cannot deserialize value of type `{ADAPTERS}.{java_type}` from"
        f' String "{value}": not one of the values accepted for Enum class:'
        f" [{', '.join(values)}]",
        3002,
    )


def update_estimate(call: Call) -> Response:
    doc = stored_project(call)
    data = call.json(_ESTIMATE_BODY)
    time = _object(data, "timeEstimate", "TimeEstimateRequest")
    if time is not None:
        estimate = string_field(time, "estimate") or doc["timeEstimate"]["estimate"]
        if not DURATION.fullmatch(estimate):
            raise ApiError(400, f'Text cannot be parsed to a Duration: "{estimate}"', 501)
        kind = _enum(time, "type", "EstimateType", _ESTIMATE_TYPES) or doc["timeEstimate"]["type"]
        doc["timeEstimate"] = {
            "estimate": estimate,
            "type": kind,
            "resetOption": _enum(time, "resetOption", "ResetOption", _RESET_OPTIONS),
            "active": bool(boolean_field(time, "active")),
            "includeNonBillable": boolean_field(time, "includeNonBillable") is not False,
        }
        doc["estimate"] = {"estimate": estimate, "type": kind}
    budget = _object(data, "budgetEstimate", "EstimateWithOptionsRequest")
    if budget is not None:
        amount = budget.get("estimate", 0)
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            raise body_error("java.lang.Long", amount)
        doc["budgetEstimate"] = {
            "active": bool(boolean_field(budget, "active")),
            "estimate": amount,
            "includeExpenses": bool(boolean_field(budget, "includeExpenses")),
            "resetOption": _enum(budget, "resetOption", "ResetOption", _RESET_OPTIONS),
            "type": _enum(budget, "type", "EstimateType", _ESTIMATE_TYPES) or "MANUAL",
        }
    reset = _object(data, "estimateReset", "EstimateResetRequest")
    if reset is not None:
        _enum(reset, "interval", "ResetOption", _RESET_OPTIONS)
        doc["estimateReset"] = reset
    return _saved(call, doc)


def _member(call: Call, user_id: object) -> str:
    if not isinstance(user_id, str):
        raise body_error("java.lang.String", user_id)
    return call.member(user_id)


def _rate(call: Call, item: Doc, key: str) -> Doc | None:
    amount = amount_field(item, key)
    currency = call.workspace["hourlyRate"]["currency"]
    return None if amount is None else {"amount": amount, "currency": currency}


def update_memberships(call: Call) -> Response:
    doc = stored_project(call)
    data = call.json(_MEMBERSHIPS_BODY)
    items = data.get("memberships")
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ApiError(400, "memberships: must not be null", 501)  # required; unrecorded
    members = []
    for item in items:
        membership = _docs.membership(_member(call, item.get("userId")), doc["id"], "PROJECT")
        membership.update(
            hourlyRate=_rate(call, item, "hourlyRate"), costRate=_rate(call, item, "costRate")
        )
        members.append(membership)
    doc["memberships"] = members
    return _saved(call, doc)


def add_memberships(call: Call) -> Response:
    doc = stored_project(call)
    data = call.json(_ADD_USERS_BODY)
    user_ids = [_member(call, user_id) for user_id in strings_field(data, "userIds") or []]
    if boolean_field(data, "remove"):
        doc["memberships"] = [m for m in doc["memberships"] if m["userId"] not in user_ids]
    else:
        present = {m["userId"] for m in doc["memberships"]}
        doc["memberships"] += [
            _docs.membership(user_id, doc["id"], "PROJECT")
            for user_id in dict.fromkeys(user_ids)
            if user_id not in present
        ]
    return _saved(call, doc)


def set_template(call: Call) -> Response:
    doc = stored_project(call)
    data = call.json(_TEMPLATE_BODY)
    doc["template"] = bool(boolean_field(data, "isTemplate"))
    return _saved(call, doc)


def project_from_template(call: Call) -> Response:
    data = call.json(_FROM_TEMPLATE_BODY)
    template_id = string_field(data, "templateProjectId")
    name = (string_field(data, "name") or "").strip()
    if template_id is None:
        raise ApiError(400, "templateProjectId: must not be null", 501)  # unrecorded wording
    if not 2 <= len(name) <= 250:
        raise ApiError(400, "Project name has to be between 2 and 250 characters long", 501)
    row = call.db.execute(
        "SELECT doc FROM projects WHERE id = ? AND workspace_id = ?",
        (template_id, call.params["workspace"]),
    ).fetchone()
    if row is None:
        raise not_belonging("Project")
    template = json.loads(row[0])
    color = checked_color(data)
    client = find_client(call, string_field(data, "clientId"))
    refuse_taken(call, name, client)  # the uniqueness rule of §19.4 (LIKELY here)
    cost = template["costRate"]
    doc = _docs.project(
        call.new_id(),
        name,
        call.workspace,
        call.user_id,
        client=client,
        public=bool(boolean_field(data, "isPublic")),
        billable=template["billable"],
        color=color or template["color"],
        note=template["note"],
        hourly_rate=template["hourlyRate"]["amount"],
        cost_rate=None if cost is None else cost["amount"],
    )
    insert_projects(call.db, [doc])
    emit(call, "NEW_PROJECT", doc)
    return Response.json(200, dump(doc))
