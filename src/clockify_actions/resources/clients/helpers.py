"""A workspace's clients in the pack's vocabulary, and the one way they are listed,
looked up by name and created (docs/clockify-api.md §15, §20)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.clients.wire import Client
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
