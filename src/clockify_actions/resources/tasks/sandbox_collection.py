"""A project's tasks: listed (active, done or both; by name) and created.

Behaviour, messages and codes follow Clockify's live responses (see docs/clockify-api.md
§17); where the live behaviour is unknown, the choice made is said in a comment. A
project not of the workspace is refused as its GET refuses it (LIKELY for tasks, §17.1).
"""

from __future__ import annotations

import re
import sqlite3

from clockify_actions.resources.projects.sandbox_collection import stored_project
from clockify_actions.sandbox import _docs
from clockify_actions.sandbox._call import (
    ADAPTERS,
    AUTH,
    Body,
    Call,
    boolean_field,
    paged,
    string_field,
    strings_field,
)
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._errors import ApiError, body_error
from clockify_actions.sandbox._events import emit
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._store import dump, name_key

_TASK_BODY = Body(
    f"{ADAPTERS}.requests.TaskRequestV1",
    f"public {ADAPTERS}.dto.TaskDtoImplV1 {ADAPTERS}.task.TaskHttpAdapter.create("
    f"java.lang.String,java.lang.String,{ADAPTERS}.requests.TaskRequestV1,{AUTH})",
)
_STATUSES = ("ACTIVE", "DONE")
DURATION = re.compile(r"P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?")


def _is_active(call: Call) -> bool | None:
    """`is-active` binds as a plain parameter: a bad value is Spring's code-3000 400 (§25.1)."""
    raw = call.text("is-active")
    try:
        return call.flag("is-active")
    except ApiError:
        raise ApiError(
            400,
            "Method parameter 'is-active': Failed to convert value of type 'java.lang.String'"
            f" to required type 'java.lang.Boolean'; Invalid boolean value [{raw}]",
            3000,
        ) from None


def list_tasks(call: Call) -> Response:
    """`is-active=true`: ACTIVE only; omitted or false: ACTIVE and DONE. `name` is contained,
    ignoring case, or the whole name with `strict-name-search`. Ordered by name (the live
    default order is unknown)."""
    project = stored_project(call)
    where, args = ["project_id = ?"], [project["id"]]
    if _is_active(call):
        where.append("status = 'ACTIVE'")
    name = call.text("name")
    if name:
        strict = call.flag("strict-name-search")
        where.append("name_key_of(name) = ?" if strict else "instr(name_key_of(name), ?)")
        args.append(name_key(name))
    sql = f"SELECT doc FROM tasks WHERE {' AND '.join(where)} ORDER BY name_key_of(name), id"
    return paged(call, sql, tuple(args))


def task_fields(data: Doc, statuses: tuple[str, ...]) -> tuple[str, str, str | None]:
    """The name, status and estimate of a task's body (create or replace), refused as
    Clockify refuses them."""
    name = (string_field(data, "name") or "").strip()
    if not 1 <= len(name) <= 1000:
        raise ApiError(400, "Task name has to be between 1 and 1000 characters long", 501)
    status = string_field(data, "status") or "ACTIVE"
    if status not in statuses:
        raise body_error(f"{ADAPTERS}.requests.TaskStatus", status)
    estimate = string_field(data, "estimate")
    if estimate is not None and not DURATION.fullmatch(estimate):
        raise ApiError(400, f'Text cannot be parsed to a Duration: "{estimate}"', 501)
    return name, status, estimate


def refuse_taken(call: Call, project: Doc, name: str, task_id: str = "") -> None:
    """A task's name is unique in its project (§17.2), other than the task's own; names
    compare as `name_key` says."""
    taken = call.db.execute(
        "SELECT 1 FROM tasks WHERE project_id = ? AND name_key_of(name) = ? AND id != ?",
        (project["id"], name_key(name), task_id),
    ).fetchone()
    if taken:
        raise ApiError(400, f"Task with name '{name}' already exists", 501)


def create_task(call: Call) -> Response:
    project = stored_project(call)
    data = call.json(_TASK_BODY)
    name, status, estimate = task_fields(data, _STATUSES)
    refuse_taken(call, project, name)
    doc = _docs.task(call.new_id(), name, project, status=status)
    billable = boolean_field(data, "billable")
    doc["billable"] = project["billable"] if billable is None else billable
    doc["estimate"] = estimate or "PT0S"
    doc["assigneeIds"] = strings_field(data, "assigneeIds") or []
    insert_tasks(call.db, [doc])
    emit(call, "NEW_TASK", doc)
    return Response.json(201, dump(doc))


def insert_tasks(db: sqlite3.Connection, docs: list[Doc]) -> None:
    db.executemany(
        "INSERT INTO tasks (id, project_id, name, status, doc) VALUES (?, ?, ?, ?, ?)",
        [(d["id"], d["projectId"], d["name"], d["status"], dump(d)) for d in docs],
    )
