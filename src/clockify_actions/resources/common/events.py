"""Trigger events in the pack's vocabulary, from Clockify's JSON: the same event whether
it came from a poll (a change-tracking or list item) or a webhook delivery (the flat
entity, §22.2), so that a workflow can switch between the two without noticing.

An event's `event_id` is `<Clockify webhook event>:<entity id>`: one id per change a
trigger reports, the same from a poll and from a delivery.
"""

from __future__ import annotations

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


def named_event(webhook_event: str, item: Mapping[str, Any]) -> Event:
    """A client or a tag."""
    return {
        "event_id": event_id(webhook_event, item["id"]),
        "id": item["id"],
        "name": item.get("name") or "",
        "workspace_id": given_id(item.get("workspaceId")),
        "archived": bool(item.get("archived")),
    }
