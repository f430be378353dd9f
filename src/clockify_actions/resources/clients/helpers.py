"""A workspace's clients in the pack's vocabulary, and the one way they are listed,
looked up by name, created, read, changed and deleted (docs/clockify-api.md §15, §20)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.clients.wire import Client
from clockify_actions.resources.common.helpers import delete_record, read_and_replace, read_record
from clockify_actions.resources.common.lookup import clean_name, find, only_match


def client_output(item: Client) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": item.name,
        "archived": item.archived,
        "email": item.email or None,
        "address": item.address or None,
        "note": item.note or None,
    }


def list_clients(
    client: ClockifyClient, workspace_id: str, query: Mapping[str, Any] | None = None
) -> list[Client]:
    """Every page; archived clients too unless `query` says `archived`."""
    path = client.path("workspaces", workspace_id, "clients")
    return client.get_all(path, Client, query or {})


def _clients_named(client: ClockifyClient, workspace_id: str, name: str) -> list[Client]:
    # Clockify's `name` filter narrows the list on the server; whether it is exact or
    # "contains", and its case rule, are unknown, so the comparison is made here.
    return list_clients(client, workspace_id, {"name": clean_name(name)})


def client_named(client: ClockifyClient, workspace_id: str, name: str) -> Client | None:
    """The client named `name`, or None; a `conflict` when several are."""
    return only_match(
        _clients_named(client, workspace_id, name), name, "client", f"workspace {workspace_id}"
    )


def find_client(client: ClockifyClient, workspace_id: str, name: str) -> Client:
    """The client named `name`, or a `not_found`; a `conflict` when several are."""
    return find(
        _clients_named(client, workspace_id, name), name, "client", f"workspace {workspace_id}"
    )


def create_client(client: ClockifyClient, workspace_id: str, body: Mapping[str, Any]) -> Client:
    path = client.path("workspaces", workspace_id, "clients")
    return client.post(path, body, Client)


# What update_client may change: the client's fields, by input and result name.
CHANGEABLE = ("name", "archived", "email", "address", "note")
# The query flags of an archiving PUT, by input name (docs/clockify-api.md §15.3).
ARCHIVE_FLAGS = {"archive_projects": "archive-projects", "mark_tasks_as_done": "mark-tasks-as-done"}


def _client_path(client: ClockifyClient, workspace_id: str, client_id: str) -> str:
    return client.path("workspaces", workspace_id, "clients", client_id)


def _client_view(item: Client) -> dict[str, Any]:
    """A client as an answer is checked and an update compares two of its forms: its
    output, its workspace and its cc addresses (which a replace would clear)."""
    return {
        **client_output(item),
        "workspace_id": item.workspace_id,
        "cc_emails": list(item.cc_emails or []),
    }


def get_client(client: ClockifyClient, workspace_id: str, client_id: str) -> Client:
    return read_record(
        client,
        _client_path(client, workspace_id, client_id),
        Client,
        what="client",
        view=_client_view,
        asked={"id": client_id, "workspace_id": workspace_id},
    )


def update_client(
    client: ClockifyClient, workspace_id: str, client_id: str, params: Mapping[str, Any]
) -> Client:
    """The client with the changes `params` asks for and everything else kept: Clockify's
    PUT replaces the client, clearing what it leaves out (docs/clockify-api.md §15.3), so
    it is read and sent back whole (`read_and_replace`)."""
    query = {flag: True for name, flag in ARCHIVE_FLAGS.items() if params.get(name)}
    return read_and_replace(
        client,
        _client_path(client, workspace_id, client_id),
        Client,
        what="client",
        view=_client_view,
        asked={"id": client_id, "workspace_id": workspace_id},
        replacement=lambda current: _replacement(current, params),
        untouched=[field for field in (*CHANGEABLE, "cc_emails") if field not in params],
        query=query or None,
    )


def _replacement(current: Client, params: Mapping[str, Any]) -> dict[str, Any]:
    """The whole client: a rename in the form `clean_name` gives, a null email, address
    or note clears it, the rest as read. The currency is left out: it survives a PUT
    without `currencyId` (§15.3), and sending the one read could undo another's change."""
    body: dict[str, Any] = {
        "name": clean_name(params["name"]) if "name" in params else current.name,
        "archived": params.get("archived", current.archived),
    }
    for field in ("email", "address", "note"):
        body[field] = params[field] if field in params else getattr(current, field)
    if current.cc_emails is not None:
        body["ccEmails"] = list(current.cc_emails)
    return body


def delete_client(client: ClockifyClient, workspace_id: str, client_id: str) -> Client:
    """One DELETE; Clockify refuses an active client (archive it first) and answers with
    the deleted one (docs/clockify-api.md §15.3)."""
    return delete_record(
        client,
        _client_path(client, workspace_id, client_id),
        Client,
        what="client",
        view=_client_view,
        asked={"id": client_id, "workspace_id": workspace_id},
    )
