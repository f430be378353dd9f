"""One task: read, replaced, deleted, and its rates set (docs/clockify-api.md §17.3,
and part 3 of Clockify's API facts, §32.3).

- `GET …/tasks/{tid}` → 200, the 13-key task; a task not of the path's project → 400 "Task
  doesn't belong to Project" (INFERRED: the message time entries get for such a task, §17.3).
- `PUT …/tasks/{tid}` replaces it: `name` required (1 to 1000); what it omits takes its
  default (`assigneeIds` [], `estimate` PT0S, `status` ACTIVE, `billable` false, the
  default of [SPEC]'s `UpdateTaskRequest`: INFERRED from "PUT replaces the task"; a create
  without `billable` follows the project instead, §17.2). `status: ALL`, accepted by the
  request enum, keeps the status (what it stores is unknown live).
- `DELETE …/tasks/{tid}` of an ACTIVE task → 400 "Cannot delete an active task"; a DONE one →
  200 with the task. Entries that name it keep its id (unknown live).
- `PUT …/tasks/{tid}/hourly-rate` and `…/cost-rate` with `{amount (≥0, required), since?}` →
  200, the task with `{amount, currency}` (§32.3, CONFIRMED-LIVE(1)).
"""

from __future__ import annotations

import json

from clockify_actions.resources.projects.sandbox_collection import stored_project
from clockify_actions.resources.rates.sandbox import rate_body
from clockify_actions.resources.tasks.sandbox_collection import refuse_taken, task_fields
from clockify_actions.sandbox._call import ADAPTERS, AUTH, Body, Call, boolean_field, strings_field
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._errors import ApiError, body_error
from clockify_actions.sandbox._events import emit
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._store import dump

_UPDATE_BODY = Body(
    f"{ADAPTERS}.requests.UpdateTaskRequest",
    f"public {ADAPTERS}.dto.TaskDtoImplV1 {ADAPTERS}.task.TaskHttpAdapter.update("
    f"java.lang.String,java.lang.String,java.lang.String,{ADAPTERS}.requests.UpdateTaskRequest,"
    f"java.lang.Boolean,{ADAPTERS}.requests.MembershipStatus,{AUTH})",
)
_STATUSES = ("ACTIVE", "DONE", "ALL")


def _stored(call: Call) -> tuple[Doc, Doc]:
    project = stored_project(call)
    row = call.db.execute(
        "SELECT doc FROM tasks WHERE id = ? AND project_id = ?",
        (call.params["task"], project["id"]),
    ).fetchone()
    if row is None:
        raise ApiError(400, "Task doesn't belong to Project", 501)
    doc: Doc = json.loads(row[0])
    return project, doc


def _save(call: Call, doc: Doc) -> None:
    call.db.execute(
        "UPDATE tasks SET name = ?, status = ?, doc = ? WHERE id = ?",
        (doc["name"], doc["status"], dump(doc), doc["id"]),
    )


def get_task(call: Call) -> Response:
    return Response.json(200, dump(_stored(call)[1]))


def update_task(call: Call) -> Response:
    project, doc = _stored(call)
    data = call.json(_UPDATE_BODY)
    name, status, estimate = task_fields(data, _STATUSES)
    budget = data.get("budgetEstimate")
    if budget is not None and (not isinstance(budget, int) or budget < 0):
        raise body_error("java.lang.Long", budget)
    refuse_taken(call, project, name, doc["id"])
    billable = boolean_field(data, "billable")
    doc.update(
        name=name,
        status=doc["status"] if status == "ALL" else status,
        estimate=estimate or "PT0S",
        assigneeIds=strings_field(data, "assigneeIds") or [],
        userGroupIds=strings_field(data, "userGroupIds") or [],
        budgetEstimate=budget or 0,
        billable=bool(billable),  # omitted: the request's default, false
    )
    _save(call, doc)
    emit(call, "TASK_UPDATED", doc)
    return Response.json(200, dump(doc))


def delete_task(call: Call) -> Response:
    _, doc = _stored(call)
    if doc["status"] == "ACTIVE":
        raise ApiError(400, "Cannot delete an active task", 501)  # code LIKELY (§32.3)
    call.db.execute("DELETE FROM tasks WHERE id = ?", (doc["id"],))
    emit(call, "TASK_DELETED", doc)
    return Response.json(200, dump(doc))


def _set_rate(call: Call, key: str) -> Response:
    _, doc = _stored(call)
    amount, _ = rate_body(call)
    doc[key] = {"amount": amount, "currency": call.workspace["hourlyRate"]["currency"]}
    _save(call, doc)
    emit(call, "TASK_UPDATED", doc)
    return Response.json(200, dump(doc))


def set_task_hourly_rate(call: Call) -> Response:
    return _set_rate(call, "hourlyRate")


def set_task_cost_rate(call: Call) -> Response:
    return _set_rate(call, "costRate")
