"""What a webhook delivers for each event: the entity, flat, in the shape Clockify's
recorded deliveries have (docs/clockify-api.md §22.2, and part 3 of Clockify's API
facts, §38.3 and §38.4), not the REST answer.

- `NEW_TIME_ENTRY` follows the 2025 capture of §22.2: zoned `timeInterval`, no `taskId` or
  `tagIds`, embedded `project` (its `timeEstimate.estimate` a number, `activeEstimate`, no
  rates, memberships or `estimateReset`), `task` (with `workspaceId` and
  `auditMetadata.updatedAt` in epoch milliseconds), a short `user` and `tags`.
  `NEW_TIMER_STARTED` is the same shape while running (§22.2, LIKELY).
- `TIME_ENTRY_DELETED` follows the 2026 capture of §38.3: `detailedApprovalStatus`, a
  project with `{amount}` rates, memberships and `auditMetadata`, a task with `sourceType`,
  a user with its rates. `TIMER_STOPPED` and `TIME_ENTRY_UPDATED` take it too (§38.4:
  INFERRED, no live capture of either).
- Clients and tags: the four keys `{id, name, workspaceId, archived}`; tasks: the nine keys
  of §38.4; projects: the project with `tasks[]` and `client` (§38.4). These rest on sample
  bodies of unknown date (LIKELY), no live capture.
- Expenses: `EXPENSE_CREATED` the flat expense without `locked` (captured live in 2025);
  `EXPENSE_UPDATED` and `EXPENSE_DELETED` ids only (samples, LIKELY).
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._time import parse_instant

_DURATION = re.compile(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?")
_NAMED_KEYS = ("id", "name", "workspaceId", "archived")
_TASK_KEYS = (
    "id",
    "name",
    "projectId",
    "assigneeIds",
    "assigneeId",
    "userGroupIds",
    "estimate",
    "status",
    "duration",
)
# Events whose body is the §38.3 (2026) time entry; the others take §22.2's (2025).
_AS_DELETED = {"TIMER_STOPPED", "TIME_ENTRY_UPDATED", "TIME_ENTRY_DELETED"}


def body(db: sqlite3.Connection, event: str, kind: str, doc: Doc) -> Doc:
    """The body `event` delivers for `doc` (as the route answered it) of change type `kind`."""
    if kind == "TIME_ENTRY":
        return _entry(db, doc, event in _AS_DELETED)
    if kind in ("CLIENTS", "TAGS"):
        return {key: doc[key] for key in _NAMED_KEYS}
    if kind == "TASKS":
        return _task_sample(doc)
    if kind == "PROJECTS":
        return _project_sample(db, doc)
    if kind == "EXPENSES":
        return _expense_body(event, doc)
    return doc


def _expense_body(event: str, expense: Doc) -> Doc:
    """`EXPENSE_CREATED`: the flat expense without `locked` (the 2025 capture, §38.4);
    the update and delete events: ids only (samples, LIKELY)."""
    if event == "EXPENSE_CREATED":
        return {key: value for key, value in expense.items() if key != "locked"}
    keys = ("workspaceId", "userId", "projectId", "categoryId")
    return {**{key: expense.get(key) for key in keys}, "expenseId": expense["id"]}


def _task_sample(task: Doc) -> Doc:
    return {key: task.get(key) for key in _TASK_KEYS}


def _project_sample(db: sqlite3.Connection, project: Doc) -> Doc:
    tasks = db.execute(
        "SELECT doc FROM tasks WHERE project_id = ? ORDER BY rowid", (project["id"],)
    ).fetchall()
    client = _row(db, "SELECT doc FROM clients WHERE id = ?", project.get("clientId"))
    return {
        **project,
        "tasks": [_task_sample(json.loads(text)) for (text,) in tasks],
        # Null without a client (INFERRED: the sample has one).
        "client": None
        if client is None
        else {k: client[k] for k in ("name", "workspaceId", "archived", "id")},
    }


def _row(db: sqlite3.Connection, sql: str, key: str | None) -> Doc | None:
    if not key:
        return None
    found = db.execute(sql, (key,)).fetchone()
    return None if found is None else dict(json.loads(found[0]))


def _zone(user: Doc | None) -> ZoneInfo:
    try:
        return ZoneInfo(((user or {}).get("settings") or {}).get("timeZone") or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _offset(moment: datetime | None, zone: ZoneInfo) -> int | None:
    if moment is None:
        return None
    offset = moment.astimezone(zone).utcoffset()
    return 0 if offset is None else int(offset.total_seconds())


def _local(moment: datetime | None, zone: ZoneInfo) -> str | None:
    return None if moment is None else moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M:%S")


def _seconds(duration: str | None) -> int:
    """An ISO duration in seconds: `timeEstimate.estimate` is a number here (0 for PT0S);
    its unit for anything else is unrecorded (seconds, INFERRED)."""
    match = _DURATION.fullmatch(duration or "")
    if match is None:
        return 0
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60 + seconds


def _updated_at(db: sqlite3.Connection, kind: str, entity_id: str) -> int:
    """Epoch milliseconds of the entity's last change; for one older than change tracking
    (the seed data), the creation time its ObjectId carries."""
    row = db.execute(
        "SELECT updated_at FROM entity_changes WHERE type = ? AND id = ?", (kind, entity_id)
    ).fetchone()
    moment = parse_instant(row[0]) if row and not row[0].startswith("0001") else None
    if moment is None:
        moment = datetime.fromtimestamp(int(entity_id[:8], 16), UTC)
    return int(moment.timestamp()) * 1000


def _amount(rate: Doc | None) -> Doc | None:
    return None if rate is None else {"amount": rate["amount"]}


def _project(db: sqlite3.Connection, project: Doc | None, rich: bool) -> Doc | None:
    if project is None:
        return None
    estimate = project["timeEstimate"]
    embedded: Doc = {"name": project["name"]}
    if rich:
        embedded.update(
            hourlyRate=_amount(project["hourlyRate"]), costRate=_amount(project["costRate"])
        )
    embedded.update(
        clientId=project["clientId"],
        workspaceId=project["workspaceId"],
        billable=project["billable"],
    )
    if rich:
        embedded["memberships"] = [
            {"userId": m["userId"], "hourlyRate": m["hourlyRate"], "costRate": m["costRate"]}
            for m in project["memberships"]
        ]
    embedded.update(
        estimate=project["estimate"],
        color=project["color"],
        archived=project["archived"],
        clientName=project["clientName"],
        duration=project["duration"],
        note=project["note"],
        activeEstimate="NONE",  # the sandbox keeps no estimates (the captures say NONE)
        timeEstimate={
            "includeNonBillable": estimate["includeNonBillable"],
            "estimate": _seconds(estimate["estimate"]),
            "type": estimate["type"],
            "resetOption": estimate["resetOption"],
        },
        budgetEstimate=project["budgetEstimate"],
    )
    if rich:
        embedded.update(
            estimateReset=project["estimateReset"],
            sourceType=None,
            auditMetadata={"updatedAt": _updated_at(db, "PROJECTS", project["id"])},
            accessOnPaidPlan=None,
        )
    embedded.update(id=project["id"], public=project["public"], template=project["template"])
    return embedded


def _task(db: sqlite3.Connection, task: Doc | None, rich: bool) -> Doc | None:
    if task is None:
        return None
    project = db.execute(
        "SELECT workspace_id FROM projects WHERE id = ?", (task["projectId"],)
    ).fetchone()
    workspace_id = project[0] if project else None
    embedded = {
        key: task[key]
        for key in ("name", "projectId", "assigneeId", "assigneeIds", "userGroupIds", "estimate")
    }
    embedded.update(status=task["status"], workspaceId=workspace_id)
    embedded.update({key: task[key] for key in ("budgetEstimate", "billable")})
    embedded.update(hourlyRate=task["hourlyRate"], costRate=task["costRate"])
    if rich:
        embedded["sourceType"] = "PRODUCTION"
    else:
        embedded["auditMetadata"] = {"updatedAt": _updated_at(db, "TASKS", task["id"])}
    embedded.update(id=task["id"], duration=task["duration"])
    return embedded


def _entry(db: sqlite3.Connection, entry: Doc, rich: bool) -> Doc:
    interval = entry["timeInterval"]
    user = _row(db, "SELECT doc FROM users WHERE id = ?", entry["userId"])
    zone = _zone(user)
    start = parse_instant(interval["start"])
    end = parse_instant(interval["end"]) if interval["end"] else None
    project = _row(db, "SELECT doc FROM projects WHERE id = ?", entry.get("projectId"))
    task = _row(db, "SELECT doc FROM tasks WHERE id = ?", entry.get("taskId"))
    tags = [_row(db, "SELECT doc FROM tags WHERE id = ?", tag) for tag in entry.get("tagIds") or []]
    short_user = None if user is None else {k: user[k] for k in ("id", "name", "status")}
    if short_user is not None and rich:
        # The sandbox keeps no member rates: the workspace's stand in for them.
        (text,) = db.execute(
            "SELECT doc FROM workspaces WHERE id = ?", (entry["workspaceId"],)
        ).fetchone()
        workspace = json.loads(text)
        short_user.update(
            hourlyRate=_amount(workspace["hourlyRate"]), costRate=_amount(workspace["costRate"])
        )
    delivered: Doc = {
        "id": entry["id"],
        "description": entry.get("description") or "",
        "userId": entry["userId"],
        "billable": entry.get("billable", False),
        "projectId": entry.get("projectId"),
        "timeInterval": {
            "start": interval["start"],
            "end": interval["end"],
            "duration": interval["duration"],
            "timeZone": zone.key,
            "offsetStart": _offset(start, zone),
            "offsetEnd": _offset(end, zone),
            "zonedStart": _local(start, zone),
            "zonedEnd": _local(end, zone),
        },
        "workspaceId": entry["workspaceId"],
        "isLocked": entry.get("isLocked", False),
        "hourlyRate": None,
        "costRate": None,
        # Custom field values carry no `type` here (§38.3).
        "customFieldValues": [
            {k: v for k, v in value.items() if k != "type"}
            for value in entry.get("customFieldValues") or []
        ],
        "type": entry.get("type", "REGULAR"),
        "kioskId": None,
        "approvalStatus": None,
    }
    if rich:
        delivered["detailedApprovalStatus"] = None
    delivered.update(
        projectCurrency=None,
        currentlyRunning=interval["end"] is None,
        project=_project(db, project, rich),
        task=_task(db, task, rich),
        user=short_user,
        tags=[
            {k: tag[k] for k in ("name", "workspaceId", "archived", "id")}
            for tag in tags
            if tag is not None
        ],
    )
    return delivered
