"""Trigger events in the pack's vocabulary, from Clockify's JSON: the same event whether
it came from a poll (a change-tracking or list item) or a webhook delivery (the flat
entity, §22.2), so that a workflow can switch between the two without noticing.

An event's `event_id` is `<Clockify webhook event>:<entity id>`: one id per change a
trigger reports, the same from a poll and from a delivery.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from clockify_actions.timeutil import parse_timestamp, to_wire

Event = dict[str, Any]


def event_id(webhook_event: str, entity_id: str) -> str:
    return f"{webhook_event}:{entity_id}"


def _wire(value: Any) -> str | None:
    """A timestamp as the pack writes it (UTC, no fraction), whatever form it came in."""
    return to_wire(parse_timestamp(value)) if isinstance(value, str) and value else None


def _id(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def time_entry_event(webhook_event: str, entry: Mapping[str, Any]) -> Event:
    """An entry from the REST API (`taskId`, `tagIds`) or a webhook (`task`, `tags`)."""
    interval = entry.get("timeInterval") or {}
    task = entry.get("task") if isinstance(entry.get("task"), Mapping) else {}
    tag_ids = entry.get("tagIds")
    if tag_ids is None:
        tag_ids = [tag["id"] for tag in entry.get("tags") or [] if isinstance(tag, Mapping)]
    end = _wire(interval.get("end"))
    return {
        "event_id": event_id(webhook_event, entry["id"]),
        "id": entry["id"],
        "description": entry.get("description") or "",
        "start": _wire(interval.get("start")),
        "end": end,
        "duration": interval.get("duration") if end else None,
        "running": end is None,
        "project_id": _id(entry.get("projectId")),
        "task_id": _id(entry.get("taskId")) or _id((task or {}).get("id")),
        "tag_ids": list(tag_ids),
        "workspace_id": _id(entry.get("workspaceId")),
        "user_id": _id(entry.get("userId")),
        "billable": entry.get("billable"),
    }


def project_event(webhook_event: str, project: Mapping[str, Any]) -> Event:
    public = project.get("public")
    return {
        "event_id": event_id(webhook_event, project["id"]),
        "id": project["id"],
        "name": project.get("name") or "",
        "workspace_id": _id(project.get("workspaceId")),
        "archived": bool(project.get("archived")),
        "client_id": _id(project.get("clientId")),
        "is_private": None if public is None else not public,
        "billable": project.get("billable"),
        "color": project.get("color"),
    }


def named_event(webhook_event: str, item: Mapping[str, Any]) -> Event:
    """A client or a tag."""
    return {
        "event_id": event_id(webhook_event, item["id"]),
        "id": item["id"],
        "name": item.get("name") or "",
        "workspace_id": _id(item.get("workspaceId")),
        "archived": bool(item.get("archived")),
    }


def task_event(webhook_event: str, task: Mapping[str, Any]) -> Event:
    return {
        "event_id": event_id(webhook_event, task["id"]),
        "id": task["id"],
        "name": task.get("name") or "",
        "project_id": _id(task.get("projectId")),
        "status": task.get("status"),
        "billable": task.get("billable"),
    }


# Each webhook event a trigger reports: the trigger, and how its body becomes the event.
WEBHOOK_EVENTS: dict[str, tuple[str, Callable[[str, Mapping[str, Any]], Event]]] = {
    "NEW_TIME_ENTRY": ("new_time_entry", time_entry_event),
    "NEW_TIMER_STARTED": ("timer_started", time_entry_event),
    "TIMER_STOPPED": ("timer_stopped", time_entry_event),
    "NEW_PROJECT": ("new_project", project_event),
    "NEW_CLIENT": ("new_client", named_event),
    "NEW_TASK": ("new_task", task_event),
    "NEW_TAG": ("new_tag", named_event),
}
