"""Projects: their one output shape (for an action's result and a trigger's event alike),
their update, and the look-ups by name that the find and find-or-create actions share, on
top of the one name comparison in `lookup`.

Clockify filters the list by a name it contains (docs/clockify-api.md §19.3), so the
server-filtered list is read over every page and the exact match made in `lookup`.
Archived projects are in what Clockify lists by default (§20) and so are found; a project
name is unique only per client (§19.4), so a client narrows the search.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.common import lookup
from clockify_actions.resources.common.events import Event, event_id, given_id
from clockify_actions.resources.common.helpers import read_and_replace
from clockify_actions.resources.projects.wire import Project, ProjectDetail


def _shape(
    project_id: str,
    name: str,
    archived: bool,
    client_id: str | None,
    public: bool | None,
    billable: bool | None,
    color: str | None,
) -> dict[str, Any]:
    """A project in the pack's output vocabulary (snake_case, `is_private`), whichever
    action or trigger reports it."""
    return {
        "id": project_id,
        "name": name,
        "archived": archived,
        "client_id": client_id or None,
        "is_private": None if public is None else not public,
        "billable": billable,
        "color": color,
    }


def project_output(project: Project) -> dict[str, Any]:
    return _shape(
        project.id,
        project.name,
        project.archived,
        project.client_id,
        project.public,
        project.billable,
        project.color,
    )


def project_result(project: Project) -> dict[str, Any]:
    return {**project_output(project), "workspace_id": project.workspace_id}


# What update_project may change, by input name, and the result's field each one sets.
CHANGES = {
    "name": "name",
    "archived": "archived",
    "client_id": "client_id",
    "remove_client": "client_id",
    "billable": "billable",
    "color": "color",
    "is_private": "is_private",
}
CHANGEABLE = tuple(CHANGES)


def update_project(
    client: ClockifyClient, workspace_id: str, project_id: str, params: dict[str, Any]
) -> Project:
    """The project with the changes `params` asks for and everything else kept: see
    `read_and_replace` for how another's change in between is caught."""
    touched = {CHANGES[name] for name in CHANGES if name in params}
    return read_and_replace(
        client,
        client.path("workspaces", workspace_id, "projects", project_id),
        Project,
        what="project",
        view=_project_view,
        asked={"id": project_id, "workspace_id": workspace_id},
        replacement=lambda current: _replacement(current, params),
        untouched=[field for field in dict.fromkeys(CHANGES.values()) if field not in touched],
    )


def set_project_rates(
    client: ClockifyClient, workspace_id: str, project_id: str, rates: dict[str, Any]
) -> ProjectDetail:
    """The project with its own rates replaced by `rates` (`hourlyRate`, `costRate`:
    `{amount, since?}`) and everything else sent back as read. Clockify has no rate route
    of a project's: its rates are written in the project's PUT (docs/clockify-api.md §19.8)."""
    return read_and_replace(
        client,
        client.path("workspaces", workspace_id, "projects", project_id),
        ProjectDetail,
        what="project",
        view=_project_view,
        asked={"id": project_id, "workspace_id": workspace_id},
        replacement=lambda current: {**_replacement(current, {}), **rates},
        untouched=list(dict.fromkeys(CHANGES.values())),
    )


def _project_view(project: Project) -> dict[str, Any]:
    """The project as an update compares two of its forms: billable and privacy as
    `_replacement` sends them back, so that a missing flag is not a change."""
    return {
        **project_result(project),
        "billable": bool(project.billable),
        "is_private": not project.public,
    }


def _replacement(current: Project, params: dict[str, Any]) -> dict[str, Any]:
    """Clockify's PUT replaces the project: omitted billable and isPublic become false
    (docs/clockify-api.md §19.2), so the current values are sent back."""
    body: dict[str, Any] = {
        "name": params.get("name", current.name),
        "archived": params.get("archived", current.archived),
        "billable": params.get("billable", bool(current.billable)),
        "isPublic": not params["is_private"] if "is_private" in params else bool(current.public),
    }
    color = params.get("color", current.color)
    if color:
        body["color"] = color
    if params.get("remove_client"):
        body["clientId"] = ""  # an empty id takes the project off its client (INFERRED, §19.2)
    elif params.get("client_id", current.client_id):
        body["clientId"] = params.get("client_id", current.client_id)
    return body


def _where(workspace_id: str, client_id: str | None) -> str:
    client = f" for client {client_id}" if client_id else ""
    return f"workspace {workspace_id}{client}"


def projects_named(
    client: ClockifyClient,
    workspace_id: str,
    name: str,
    client_id: str | None = None,
    include_archived: bool = True,
) -> list[Project]:
    """Every project called `name` (as `lookup` compares names), of `client_id` when given."""
    query: dict[str, Any] = {"name": lookup.clean_name(name)}
    if not include_archived:
        query["archived"] = False
    path = client.path("workspaces", workspace_id, "projects")
    projects = lookup.matching(client.get_all(path, Project, query), name)
    return [p for p in projects if not client_id or (p.client_id or None) == client_id]


def look_up_project(
    client: ClockifyClient,
    workspace_id: str,
    name: str,
    client_id: str | None = None,
    include_archived: bool = True,
) -> Project | None:
    found = projects_named(client, workspace_id, name, client_id, include_archived)
    return lookup.only_match(found, name, "project", _where(workspace_id, client_id))


def find_project(
    client: ClockifyClient,
    workspace_id: str,
    name: str,
    client_id: str | None = None,
    include_archived: bool = True,
) -> Project:
    found = projects_named(client, workspace_id, name, client_id, include_archived)
    return lookup.find(found, name, "project", _where(workspace_id, client_id))


def project_event(webhook_event: str, project: Mapping[str, Any]) -> Event:
    """A project from the REST API or a webhook delivery (the same flat entity)."""
    shape = _shape(
        project["id"],
        project.get("name") or "",
        bool(project.get("archived")),
        given_id(project.get("clientId")),
        project.get("public"),
        project.get("billable"),
        project.get("color"),
    )
    return {
        "event_id": event_id(webhook_event, project["id"]),
        **shape,
        "workspace_id": given_id(project.get("workspaceId")),
    }
