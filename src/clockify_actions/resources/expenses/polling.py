"""How the new_expense trigger finds new expenses (docs/clockify-api.md §29.10).

Clockify offers no better feed: its change tracking takes no expense type, and its
expense list takes no date filter and keeps no documented order (§29.1). So each poll
reads every page of the list and delivers the expenses it has not delivered before.

What keeps the state small: an expense's id is a MongoDB ObjectId, whose first four bytes
are the second Clockify made it (INFERRED from the ids' form and Clockify's "Invalid
ObjectId" errors). An expense is new when its id was made after the previous poll's
cursor, less `OVERLAP`, and is not in `seen`, the ids delivered since then. The cursor is
Clockify's clock at its answer (its `Date` header), as for change tracking.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.common.polling import CLOCK_SKEW, MAX_SEEN, OVERLAP, ToEvent
from clockify_actions.resources.expenses.helpers import iter_expenses
from clockify_actions.resources.expenses.wire import Expense
from clockify_actions.timeutil import parse_timestamp, to_wire


def made_at(expense_id: str) -> datetime | None:
    """When Clockify made the id, from its ObjectId timestamp; None for another form."""
    if len(expense_id) != 24:
        return None
    try:
        return datetime.fromtimestamp(int(expense_id[:8], 16), UTC)
    except ValueError:
        return None


def flat(item: Expense) -> dict[str, Any]:
    """A list row as the flat expense a webhook delivery carries (§29.8)."""
    return {
        "id": item.id,
        "workspaceId": item.workspace_id,
        "userId": item.user_id,
        "date": item.date,
        "projectId": item.project_id or (item.project.id if item.project else None),
        "taskId": item.task_id or (item.task.id if item.task else None),
        "categoryId": item.category_id or (item.category.id if item.category else None),
        "notes": item.notes,
        "quantity": item.quantity,
        "billable": item.billable,
        "fileId": item.file_id or "",
        "total": item.total,
    }


def poll_new_expenses(
    client: ClockifyClient,
    params: Mapping[str, Any],
    state: Mapping[str, Any] | None,
    webhook_event: str,
    to_event: ToEvent,
) -> dict[str, Any]:
    """Every expense made since the last poll, once; a first poll delivers those made
    since `since`, or none."""
    items = list(iter_expenses(client, params["workspace_id"]))
    cursor = client.server_time() or client.now() - CLOCK_SKEW
    if state is not None:
        previous = parse_timestamp(state["cursor"])
        cursor = max(cursor, previous)
        floor, delivering = previous - OVERLAP, True
    else:
        since = parse_timestamp(params["since"]) if params.get("since") else None
        floor = min(cursor - OVERLAP, since or cursor)
        delivering = since is not None
    seen = dict(state["seen"]) if state else {}
    events = []
    for item in items:
        made = made_at(item.id) or cursor
        if made < floor or item.id in seen:
            continue
        if delivering and (state is not None or made >= parse_timestamp(params["since"])):
            events.append(to_event(webhook_event, flat(item)))
        seen[item.id] = to_wire(made)
    oldest = to_wire(cursor - OVERLAP)
    recent = sorted(((at, i) for i, at in seen.items() if at >= oldest), reverse=True)
    kept = {i: at for at, i in sorted(recent[:MAX_SEEN])}
    new_state = {"workspace_id": params["workspace_id"], "cursor": to_wire(cursor), "seen": kept}
    return {"events": events, "state": new_state}
