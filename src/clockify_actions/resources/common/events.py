"""Trigger events in the pack's vocabulary, from Clockify's JSON: the same event whether
it came from a poll (a change-tracking or list item) or a webhook delivery (the flat
entity, §22.2), so that a workflow can switch between the two without noticing.

An event's `event_id` is `<Clockify webhook event>:<entity id>`: one id per change a
trigger reports, the same from a poll and from a delivery.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from clockify_actions.timeutil import parse_timestamp, to_wire

Event = dict[str, Any]


def event_id(webhook_event: str, entity_id: str) -> str:
    return f"{webhook_event}:{entity_id}"


def wire_time(value: Any) -> str | None:
    """A timestamp as the pack writes it (UTC, no fraction), whatever form it came in."""
    return to_wire(parse_timestamp(value)) if isinstance(value, str) and value else None


def given_id(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def time_entry_event(webhook_event: str, entry: Mapping[str, Any]) -> Event:
    """An entry from the REST API (`taskId`, `tagIds`) or a webhook (`task`, `tags`)."""
    interval = entry.get("timeInterval") or {}
    task = entry.get("task") if isinstance(entry.get("task"), Mapping) else {}
    tag_ids = entry.get("tagIds")
    if tag_ids is None:
        tag_ids = [tag["id"] for tag in entry.get("tags") or [] if isinstance(tag, Mapping)]
    end = wire_time(interval.get("end"))
    return {
        "event_id": event_id(webhook_event, entry["id"]),
        "id": entry["id"],
        "description": entry.get("description") or "",
        "start": wire_time(interval.get("start")),
        "end": end,
        "duration": interval.get("duration") if end else None,
        "running": end is None,
        "project_id": given_id(entry.get("projectId")),
        "task_id": given_id(entry.get("taskId")) or given_id((task or {}).get("id")),
        "tag_ids": list(tag_ids),
        "workspace_id": given_id(entry.get("workspaceId")),
        "user_id": given_id(entry.get("userId")),
        "billable": entry.get("billable"),
    }


def time_entry_change_event(webhook_event: str, entry: Mapping[str, Any]) -> Event:
    """An entry as it is after an edit: `time_entry_event` whose `event_id` also names the
    state the entry was edited to (`<event>:<id>:<fingerprint>`), so that a second edit of
    one entry is a second event, while a poll and a delivery of the same edit agree."""
    event = time_entry_event(webhook_event, entry)
    state = [
        event[name] for name in ("description", "start", "end", "project_id", "task_id", "billable")
    ]
    state.append(sorted(event["tag_ids"]))
    digest = hashlib.sha256(json.dumps(state).encode()).hexdigest()[:12]
    event["event_id"] = f"{event_id(webhook_event, entry['id'])}:{digest}"
    return event


def time_entry_deleted_event(webhook_event: str, record: Mapping[str, Any]) -> Event:
    """A deleted entry, from a webhook delivery (the whole entry as it was, §22.4) or from
    a poll: Clockify's record of a deletion keeps no times, project, task, tags or user
    (docs/clockify-api.md §23.4), so those are null from a poll."""
    document = record.get("document")
    if isinstance(document, Mapping):  # an item of /entities/deleted
        return {
            "event_id": event_id(webhook_event, record["id"]),
            "id": record["id"],
            "workspace_id": given_id(document.get("workspaceId")),
            "deleted_at": wire_time(record.get("deletedAt")),
            **dict.fromkeys(_DELETED_ENTRY_FIELDS),
        }
    event = time_entry_event(webhook_event, record)
    return {
        "event_id": event["event_id"],
        "id": event["id"],
        "workspace_id": event["workspace_id"],
        "deleted_at": None,
        **{name: event[name] for name in _DELETED_ENTRY_FIELDS},
    }


# What a delivery of a deletion says of the entry and a poll's record does not.
_DELETED_ENTRY_FIELDS = (
    "description",
    "start",
    "end",
    "duration",
    "running",
    "project_id",
    "task_id",
    "tag_ids",
    "user_id",
    "billable",
)


def named_event(webhook_event: str, item: Mapping[str, Any]) -> Event:
    """A client or a tag."""
    return {
        "event_id": event_id(webhook_event, item["id"]),
        "id": item["id"],
        "name": item.get("name") or "",
        "workspace_id": given_id(item.get("workspaceId")),
        "archived": bool(item.get("archived")),
    }
