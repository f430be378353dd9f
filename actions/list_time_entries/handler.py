from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.time_entries.helpers import (
    entry_output,
    own_user_id,
    starts_within,
    widened_query,
)
from clockify_actions.resources.time_entries.helpers import window as requested_window
from clockify_actions.resources.time_entries.wire import TimeEntryDetail


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    start, end = requested_window(params)
    user_id = params.get("user_id") or own_user_id(client)
    hydrated = params.get("hydrated", False)
    query: dict[str, Any] = widened_query(start, end)
    if "project_id" in params:
        query["project"] = params["project_id"]
    if "task_id" in params:
        query["task"] = params["task_id"]
    if params.get("tag_ids"):
        query["tags"] = params["tag_ids"]
    if "in_progress" in params:
        query["in-progress"] = params["in_progress"]
    if hydrated:
        query["hydrated"] = True

    def wanted(entry: TimeEntryDetail) -> bool:
        # Clockify's own filters narrow the pages; these make the answer exact whatever the
        # account's zone and however Clockify matches tags (any or all) and descriptions.
        running = entry.time_interval.end is None
        return (
            starts_within(entry, start, end)
            and params.get("project_id", entry.project_id) == entry.project_id
            and params.get("task_id", entry.task_id) == entry.task_id
            and set(params.get("tag_ids", [])) <= set(entry.tag_ids or [])
            and params.get("description", "").casefold() in (entry.description or "").casefold()
            and params.get("in_progress", running) == running
        )

    path = client.path("workspaces", params["workspace_id"], "user", user_id, "time-entries")
    limit = params.get("limit")
    entries: list[dict[str, Any]] = []
    has_more = False
    for entry in client.iter_all(path, TimeEntryDetail, query):
        if not wanted(entry):
            continue
        if len(entries) == limit:
            has_more = True
            break
        entries.append(entry_output(entry, hydrated=hydrated))
    return {"count": len(entries), "has_more": has_more, "time_entries": entries}
