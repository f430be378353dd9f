from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.domain import create_time_entry, time_entry_output
from clockify_actions.timeutil import to_wire


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    body: dict[str, Any] = {"start": to_wire(client.now())}
    if "project_id" in params:
        body["projectId"] = params["project_id"]
    if "description" in params:
        body["description"] = params["description"]
    if "task_id" in params:
        body["taskId"] = params["task_id"]
    if "tag_ids" in params:
        body["tagIds"] = params["tag_ids"]
    if "billable" in params:
        body["billable"] = params["billable"]
    entry = create_time_entry(client, params["workspace_id"], body)
    return time_entry_output(entry)
