"""How the triggers find what is new, shared so that each trigger's handler is a line.

Two mechanisms, chosen per trigger from what Clockify offers (docs/clockify-api.md §23):

- **Change tracking** (`poll_created`, `poll_finished_entries`): Clockify's
  `/entities/created` and `/entities/updated` list what was created or updated in a
  window, by when it happened in Clockify, not by the entry's own times: an entry logged
  today for last week is in today's window, whichever app made it. Each poll reads the
  window from the end of the previous one, less `OVERLAP` (for clock skew and Clockify's
  lag in recording a change), up to now; the ids already delivered from that overlap are
  kept in the state (`seen`) so that none is delivered twice.
- **The running timers** (`poll_timers`): `/time-entries/status/in-progress`, compared
  with the timers running at the previous poll.

A first poll (no state) only sets the cursor, unless `since` asks for a backfill.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.clockify.models import Entity
from clockify_actions.errors import ActionError, ErrorType
from clockify_actions.events import Event, time_entry_event
from clockify_actions.timeutil import parse_timestamp, to_wire

# How far each window reaches back before the previous one's end.
OVERLAP = timedelta(minutes=10)
# Items asked for per change-tracking request (Clockify's `limit`, at most 5000).
PAGE_LIMIT = 1000
# Running timers asked for per request (the in-progress route's most, §13.4).
RUNNING_PAGE_SIZE = 1000
# No entry lasts longer (§6): a timer seen running longer has been deleted.
LONGEST_ENTRY = timedelta(hours=999)
# The most recently delivered ids kept; only a burst of more items inside one OVERLAP
# could make a later poll deliver one of the oldest of them again.
MAX_SEEN = 5000

ToEvent = Callable[[str, Mapping[str, Any]], Event]


def changes(
    client: ClockifyClient,
    workspace_id: str,
    route: str,
    entity_type: str,
    start: datetime,
    end: datetime,
) -> list[Entity]:
    """Every item of `/entities/{route}` of `entity_type` in [start, end], oldest first."""
    path = client.path("workspaces", workspace_id, "entities", route)
    items: list[Entity] = []
    for page in range(client.settings.max_pages):
        query = {
            "type": entity_type,
            "start": to_wire(start),
            "end": to_wire(max(start, end)),
            "page": page,
            "limit": PAGE_LIMIT,
        }
        batch = client.get_list(path, Entity, query)
        items.extend(batch)
        if len(batch) < PAGE_LIMIT:
            return items
    raise ActionError(
        ErrorType.UPSTREAM,
        f"Clockify's {route} changes did not end after {client.settings.max_pages:,} pages; "
        "nothing was delivered and the state was not advanced.",
    )


def _created(item: Entity, fallback: datetime) -> str:
    stamp = item.audit_metadata.created_at if item.audit_metadata else None
    return to_wire(parse_timestamp(stamp)) if stamp else to_wire(fallback)


def _window(params: Mapping[str, Any], state: Mapping[str, Any] | None) -> datetime | None:
    """Where this poll's window starts; None for a first poll that only sets the cursor."""
    if state is not None:
        return parse_timestamp(state["cursor"]) - OVERLAP
    since = params.get("since")
    return parse_timestamp(since) if since else None


def _kept(seen: dict[str, str], oldest: datetime) -> dict[str, str]:
    """The ids a window starting at `oldest` can still return, at most MAX_SEEN."""
    floor = to_wire(oldest)
    recent = sorted(((at, i) for i, at in seen.items() if at >= floor), reverse=True)
    return {i: at for at, i in sorted(recent[:MAX_SEEN])}


def poll_created(
    client: ClockifyClient,
    params: Mapping[str, Any],
    state: Mapping[str, Any] | None,
    entity_type: str,
    webhook_event: str,
    to_event: ToEvent,
) -> dict[str, Any]:
    """Every `entity_type` created since the last poll, once."""
    now = client.now()
    start = _window(params, state)
    seen = dict(state["seen"]) if state else {}
    events = []
    if start is not None:
        for item in changes(client, params["workspace_id"], "created", entity_type, start, now):
            if item.id not in seen:
                events.append(to_event(webhook_event, item.fields()))
                seen[item.id] = _created(item, now)
    return {"events": events, "state": {"cursor": to_wire(now), "seen": _kept(seen, now - OVERLAP)}}


def poll_finished_entries(
    client: ClockifyClient, params: Mapping[str, Any], state: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Every time entry once it exists finished: one added finished (by hand, by import,
    late for an earlier time, from any app) when it is created, a timer when it stops.

    A timer seen running is remembered (`pending`) until an update shows it stopped: an
    update of any other entry is an edit, not a new entry.
    """
    workspace_id = params["workspace_id"]
    now = client.now()
    start = _window(params, state)
    seen = dict(state["seen"]) if state else {}
    pending = dict(state.get("pending", {})) if state else {}
    if state is None:
        # Timers already running when the trigger starts are delivered when they stop.
        for entry in running_entries(client, workspace_id):
            pending[entry["id"]] = _start(entry)
    events = []
    if start is not None:
        created = changes(client, workspace_id, "created", "TIME_ENTRY", start, now)
        updated = changes(client, workspace_id, "updated", "TIME_ENTRY", start, now)
        for item, is_new in [(i, True) for i in created] + [(i, False) for i in updated]:
            fields = item.fields()
            running = not (fields.get("timeInterval") or {}).get("end")
            if item.id in seen or not (is_new or item.id in pending):
                continue
            if running:
                pending[item.id] = _created(item, now)
                continue
            events.append(time_entry_event("NEW_TIME_ENTRY", fields))
            seen[item.id] = _created(item, now)
            pending.pop(item.id, None)
    abandoned = to_wire(now - LONGEST_ENTRY)
    pending = {i: at for i, at in pending.items() if at >= abandoned}
    new_state = {"cursor": to_wire(now), "seen": _kept(seen, now - OVERLAP), "pending": pending}
    return {"events": events, "state": new_state}


def _start(entry: Mapping[str, Any]) -> str:
    return to_wire(parse_timestamp(entry["timeInterval"]["start"]))


def running_entries(client: ClockifyClient, workspace_id: str) -> list[dict[str, Any]]:
    """Every running timer of the workspace."""
    path = client.path("workspaces", workspace_id, "time-entries", "status", "in-progress")
    entries: list[dict[str, Any]] = []
    for page in range(1, client.settings.max_pages + 1):
        batch = client.get_list(path, Entity, {"page": page, "page-size": RUNNING_PAGE_SIZE})
        entries.extend(item.fields() for item in batch)
        if len(batch) < RUNNING_PAGE_SIZE:
            return entries
    raise ActionError(ErrorType.UPSTREAM, "The list of running timers did not end.")


def poll_timers(
    client: ClockifyClient,
    params: Mapping[str, Any],
    state: Mapping[str, Any] | None,
    *,
    stopped: bool,
) -> dict[str, Any]:
    """Timers that started (or, with `stopped`, stopped) since the last poll."""
    workspace_id = params["workspace_id"]
    running = {entry["id"]: entry for entry in running_entries(client, workspace_id)}
    before: dict[str, str] = dict(state["running"]) if state else {}
    now_running = {entry_id: _start(entry) for entry_id, entry in running.items()}
    events = []
    if not stopped:
        since = params.get("since")
        floor = to_wire(parse_timestamp(since)) if since and state is None else None
        for entry_id, entry in running.items():
            started = now_running[entry_id]
            if (state is not None and entry_id not in before) or (floor and started >= floor):
                events.append(time_entry_event("NEW_TIMER_STARTED", entry))
    elif state is not None:
        for entry_id in sorted(before.keys() - running.keys()):
            found = _entry(client, workspace_id, entry_id)
            if found is None:
                continue  # deleted while it ran: it never stopped
            if (found.get("timeInterval") or {}).get("end"):
                events.append(time_entry_event("TIMER_STOPPED", found))
            else:
                now_running[entry_id] = before[entry_id]  # listed a moment too late
        events.sort(key=lambda event: (event["end"], event["id"]))
    return {"events": events, "state": {"running": now_running}}


def _entry(client: ClockifyClient, workspace_id: str, entry_id: str) -> dict[str, Any] | None:
    """The entry as Clockify has it now, or None when it no longer exists."""
    path = client.path("workspaces", workspace_id, "time-entries", entry_id)
    try:
        entry = client.get(path, Entity)
    except ActionError as error:
        # An entry that is gone answers 400 "Time entry doesn't belong to Workspace" (§13.1).
        if error.http_status == 400 and "doesn't belong" in error.message:
            return None
        raise
    return entry.fields()
