from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.common.helpers import answered_about, written
from clockify_actions.resources.projects.estimates import (
    BUDGET_OPTIONS,
    TIME_OPTIONS,
    estimate_body,
    estimates_output,
)
from clockify_actions.resources.projects.wire import ProjectDetail


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    if "time_estimate" not in params and "budget_estimate" not in params:
        raise invalid("", "give time_estimate, budget_estimate or both")
    for estimate, options in (("time_estimate", TIME_OPTIONS), ("budget_estimate", BUDGET_OPTIONS)):
        for option in options:
            if option in params and estimate not in params:
                raise invalid(f"/{option}", f"is set with {estimate}: give {estimate} too")
    workspace_id, project_id = params["workspace_id"], params["project_id"]
    path = client.path("workspaces", workspace_id, "projects", project_id, "estimate")
    body = estimate_body(params)
    project, writes = written(client, lambda: client.patch(path, body, ProjectDetail))
    result = estimates_output(project)
    asked = {"id": project_id, "workspace_id": workspace_id}
    answered_about(result, asked, "project", f"PATCH {path}", writes=writes)
    return result
