"""How the triggers find what is new, shared so that each trigger's handler is a line.

Two mechanisms, chosen per trigger from what Clockify offers (docs/clockify-api.md §23):

- **Change tracking** (`poll_created`, `poll_finished_entries`): Clockify's
  `/entities/created` and `/entities/updated` list what was created or updated in a
  window, by when it happened in Clockify, not by the entry's own times: an entry logged
  today for last week is in today's window, whichever app made it. Each poll reads the
  window from the end of the previous one, less `OVERLAP` (for Clockify's lag in recording
  a change), on; the ids already delivered from that overlap are kept in the state
  (`seen`) so that none is delivered twice.
- **The running timers** (`poll_timers`): `/time-entries/status/in-progress`, compared
  with the timers running at the previous poll.

Clockify filters a window by its own clock, so the windows follow it, not this machine's:
the cursor is Clockify's time at its last answer (its `Date` header), never past the end
the window asked for, and that end reaches `CLOCK_SKEW` past either clock. A clock that is
off by any amount then loses nothing; only without a `Date` header does the cursor fall
back on this clock, less `CLOCK_SKEW`.

A first poll (no state) sets the baseline: it delivers nothing, unless `since` asks for a
backfill, but notes in `seen` what the next window could return from before it, so that
nothing from before the baseline is delivered later.

All the pages of one poll share one deadline and one item cap (`PageBudget`): a server
that sends pages forever ends the poll with an `upstream_error`, and no state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.clockify.settings import PageBudget
from clockify_actions.errors import ActionError, ErrorType
from clockify_actions.resources.changes.entity import Entity
from clockify_actions.resources.common.events import Event
from clockify_actions.timeutil import parse_timestamp, to_wire

# How far each window reaches back before the previous one's end.
OVERLAP = timedelta(minutes=10)
# How far this machine's clock may be off Clockify's for a first poll to note everything a
# later window can return, and for a cursor when Clockify sent no `Date` header.
CLOCK_SKEW = timedelta(hours=1)
# Items asked for per change-tracking request (Clockify's `limit`, at most 5000; its pages
# are counted from 0, §23.2).
PAGE_LIMIT = 1000
# Running timers asked for per request (the in-progress route's most, §13.4).
RUNNING_PAGE_SIZE = 1000
# No entry lasts longer (§6): a timer seen running longer has been deleted.
LONGEST_ENTRY = timedelta(hours=999)
# The most recently delivered ids kept; only a burst of more items inside one OVERLAP
# could make a later poll deliver one of the oldest of them again.
MAX_SEEN = 5000

ToEvent = Callable[[str, Mapping[str, Any]], Event]


@dataclass(frozen=True)
class Window:
    """What one change-tracking poll reads: [start, end], and what it delivers of it."""

    start: datetime
    end: datetime
    # The previous poll's cursor; None on a first poll.
    previous: datetime | None
    # A first poll delivers what was created from `since` on (None: nothing); any later
    # poll delivers everything new.
    since: datetime | None

    @classmethod
    def of(cls, client: ClockifyClient, params: Mapping[str, Any], state: Any) -> Window:
        local = client.now()
        if state is not None:
            cursor = parse_timestamp(state["cursor"])
            # Clockify lists up to its own now, which may be ahead of this clock. A window
            # that ends in the future is our guess of what Clockify accepts (its spec sets
            # no bound; the sandbox takes it).
            return cls(cursor - OVERLAP, max(local, cursor) + CLOCK_SKEW, cursor, None)
        since = parse_timestamp(params["since"]) if params.get("since") else None
        # As far back as the next window can reach, whichever clock is ahead.
        start = local - CLOCK_SKEW - OVERLAP
        return cls(start if since is None else min(start, since), local + CLOCK_SKEW, None, since)

    def delivers(self, created: str) -> bool:
        if self.previous is not None:
            return True
        return self.since is not None and created >= to_wire(self.since)

    def delivers_any(self) -> bool:
        return self.previous is not None or self.since is not None

    def cursor(self, client: ClockifyClient) -> datetime:
        """Where the next window starts (less OVERLAP): Clockify's clock at its last
        answer, never past this window's end, never back before the previous cursor."""
        clockify_now = client.server_time() or client.now() - CLOCK_SKEW
        cursor = min(clockify_now, self.end)
        return cursor if self.previous is None else max(self.previous, cursor)


def changes(
    client: ClockifyClient,
    workspace_id: str,
    route: str,
    entity_type: str,
    window: Window,
    budget: PageBudget,
) -> list[Entity]:
    """Every item of `/entities/{route}` of `entity_type` in the window, oldest first."""
    path = client.path("workspaces", workspace_id, "entities", route)
    query = {
        "type": entity_type,
        "start": to_wire(window.start),
        "end": to_wire(max(window.start, window.end)),
    }
    return list(
        client.iter_all(
            path,
            Entity,
            query,
            page_size=PAGE_LIMIT,
            size_param="limit",
            first_page=0,
            budget=budget,
        )
    )


def _created(item: Entity, fallback: datetime) -> str:
    stamp = item.audit_metadata.created_at if item.audit_metadata else None
    try:
        return to_wire(parse_timestamp(stamp)) if stamp else to_wire(fallback)
    except ValueError:  # a stamp Clockify wrote oddly: as if made now
        return to_wire(fallback)


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
    budget = PageBudget(client.settings)
    window = Window.of(client, params, state)
    items = changes(client, params["workspace_id"], "created", entity_type, window, budget)
    cursor = window.cursor(client)
    seen = dict(state["seen"]) if state else {}
    events = []
    for item in items:
        if item.id in seen:
            continue
        created = _created(item, cursor)
        if window.delivers(created):
            events.append(to_event(webhook_event, item.fields()))
        seen[item.id] = created
    new_state = {
        "workspace_id": params["workspace_id"],
        "cursor": to_wire(cursor),
        "seen": _kept(seen, cursor - OVERLAP),
    }
    return {"events": events, "state": new_state}


def _stamp(value: Any, fallback: datetime) -> str:
    try:
        return (
            to_wire(parse_timestamp(value))
            if isinstance(value, str) and value
            else to_wire(fallback)
        )
    except ValueError:  # a stamp Clockify wrote oddly: as if made now
        return to_wire(fallback)


def poll_changes(
    client: ClockifyClient,
    params: Mapping[str, Any],
    state: Mapping[str, Any] | None,
    route: str,
    entity_type: str,
    webhook_event: str,
    to_event: ToEvent,
) -> dict[str, Any]:
    """Every change of `entity_type` that `/entities/{route}` ("updated" or "deleted")
    lists since the last poll, once: a change is known by its event's `event_id`, so an
    entity deleted is delivered once, and an entity updated again, to another state, is
    delivered again. `seen` keeps the event ids with when Clockify says the change was
    made (`auditMetadata.updatedAt`, or `deletedAt`).

    Clockify leaves out of these routes an entity created inside the window asked
    (docs/clockify-api.md §23.2), so a later poll asks two windows: from the previous
    cursor on, where everything made before it is listed, and the OVERLAP before it, for
    what Clockify recorded late (it lists there only what was made before that window)."""
    budget = PageBudget(client.settings)
    window = Window.of(client, params, state)
    workspace_id = params["workspace_id"]
    if window.previous is None:
        items = changes(client, workspace_id, route, entity_type, window, budget)
    else:
        late = replace(window, end=window.previous)
        fresh = replace(window, start=window.previous)
        items = changes(client, workspace_id, route, entity_type, late, budget)
        items += changes(client, workspace_id, route, entity_type, fresh, budget)
    cursor = window.cursor(client)
    seen = dict(state["seen"]) if state else {}
    events = []
    for item in items:
        fields = item.fields()
        event = to_event(webhook_event, fields)
        if event["event_id"] in seen:
            continue
        if route == "deleted":
            made = _stamp(fields.get("deletedAt"), cursor)
        else:
            made = _stamp(item.audit_metadata.updated_at if item.audit_metadata else None, cursor)
        if window.delivers(made):
            events.append(event)
        seen[event["event_id"]] = made
    new_state = {
        "workspace_id": workspace_id,
        "cursor": to_wire(cursor),
        "seen": _kept(seen, cursor - OVERLAP),
    }
    return {"events": events, "state": new_state}


def poll_finished_entries(
    client: ClockifyClient,
    params: Mapping[str, Any],
    state: Mapping[str, Any] | None,
    webhook_event: str,
    to_event: ToEvent,
) -> dict[str, Any]:
    """Every time entry once it exists finished: one added finished (by hand, by import,
    late for an earlier time, from any app) when it is created, a timer when it stops.

    A timer seen running is remembered (`pending`) until an update shows it stopped: an
    update of any other entry is an edit, not a new entry.
    """
    workspace_id = params["workspace_id"]
    budget = PageBudget(client.settings)
    window = Window.of(client, params, state)
    seen = dict(state["seen"]) if state else {}
    pending = dict(state.get("pending", {})) if state else {}
    if state is None:
        # Timers already running when the trigger starts are delivered when they stop.
        for entry in running_entries(client, workspace_id, budget):
            pending[entry["id"]] = _start(entry)
    found = [
        (item, True)
        for item in changes(client, workspace_id, "created", "TIME_ENTRY", window, budget)
    ]
    if window.delivers_any():
        found += [
            (item, False)
            for item in changes(client, workspace_id, "updated", "TIME_ENTRY", window, budget)
        ]
    cursor = window.cursor(client)
    events = []
    for item, is_new in found:
        fields = item.fields()
        running = not (fields.get("timeInterval") or {}).get("end")
        if item.id in seen or not (is_new or item.id in pending):
            continue
        created = _created(item, cursor)
        if running:
            pending[item.id] = created
            continue
        # A timer noted running stopped after the baseline: it is delivered.
        if item.id in pending or window.delivers(created):
            events.append(to_event(webhook_event, fields))
        seen[item.id] = created
        pending.pop(item.id, None)
    abandoned = to_wire(cursor - LONGEST_ENTRY)
    pending = {i: at for i, at in pending.items() if at >= abandoned}
    new_state = {
        "workspace_id": workspace_id,
        "cursor": to_wire(cursor),
        "seen": _kept(seen, cursor - OVERLAP),
        "pending": pending,
    }
    return {"events": events, "state": new_state}


def _start(entry: Mapping[str, Any]) -> str:
    return to_wire(parse_timestamp(entry["timeInterval"]["start"]))


def running_entries(
    client: ClockifyClient, workspace_id: str, budget: PageBudget
) -> list[dict[str, Any]]:
    """Every running timer of the workspace."""
    path = client.path("workspaces", workspace_id, "time-entries", "status", "in-progress")
    pages = client.iter_all(path, Entity, page_size=RUNNING_PAGE_SIZE, budget=budget)
    return [item.fields() for item in pages]


def poll_timers(
    client: ClockifyClient,
    params: Mapping[str, Any],
    state: Mapping[str, Any] | None,
    webhook_event: str,
    to_event: ToEvent,
    *,
    stopped: bool,
) -> dict[str, Any]:
    """Timers that started (or, with `stopped`, stopped) since the last poll."""
    workspace_id = params["workspace_id"]
    budget = PageBudget(client.settings)
    running = {entry["id"]: entry for entry in running_entries(client, workspace_id, budget)}
    before: dict[str, str] = dict(state["running"]) if state else {}
    now_running = {entry_id: _start(entry) for entry_id, entry in running.items()}
    events = []
    if not stopped:
        since = params.get("since")
        floor = to_wire(parse_timestamp(since)) if since and state is None else None
        for entry_id, entry in running.items():
            started = now_running[entry_id]
            if (state is not None and entry_id not in before) or (floor and started >= floor):
                events.append(to_event(webhook_event, entry))
    elif state is not None:
        for entry_id in sorted(before.keys() - running.keys()):
            if budget.expired():
                raise ActionError(
                    ErrorType.UPSTREAM,
                    "Clockify did not answer for every stopped timer within the deadline "
                    "(CLOCKIFY_RETRY_DEADLINE); nothing was delivered and the state was not "
                    "advanced.",
                )
            found = _entry(client, workspace_id, entry_id)
            if found is None:
                continue  # deleted while it ran: it never stopped
            if (found.get("timeInterval") or {}).get("end"):
                events.append(to_event(webhook_event, found))
            else:
                now_running[entry_id] = before[entry_id]  # listed a moment too late
        events.sort(key=lambda event: (event["end"], event["id"]))
    return {"events": events, "state": {"workspace_id": workspace_id, "running": now_running}}


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
