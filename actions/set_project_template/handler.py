from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import ActionError, ErrorType
from clockify_actions.resources.common.helpers import answered_about, applied, written
from clockify_actions.resources.projects.wire import ProjectDetail


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    workspace_id, project_id = params["workspace_id"], params["project_id"]
    wanted: bool = params["is_template"]
    path = client.path("workspaces", workspace_id, "projects", project_id, "template")
    body = {"isTemplate": wanted}
    project, writes = written(client, lambda: client.patch(path, body, ProjectDetail))
    result = {
        "id": project.id,
        "name": project.name,
        "workspace_id": project.workspace_id,
        "is_template": project.template,
    }
    asked = {"id": project_id, "workspace_id": workspace_id}
    answered_about(result, asked, "project", f"PATCH {path}", writes=writes)
    if project.template is not wanted:
        raise applied(
            ActionError(
                ErrorType.CONTRACT,
                f"Clockify accepted marking project {project_id} "
                f"{'a template' if wanted else 'not a template'}, but answered template "
                f"{project.template}. Look at the project in Clockify before running this again.",
                details=[{"path": "/is_template", "message": f"answered {project.template}"}],
            ),
            writes,
        )
    return result
