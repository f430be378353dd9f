"""A workspace's tags in the pack's vocabulary, and the one way they are listed, looked up
by name and created (docs/clockify-api.md §16, §20)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.common.lookup import clean_name, find, only_match
from clockify_actions.resources.tags.wire import Tag


def tag_output(item: Tag) -> dict[str, Any]:
    return {"id": item.id, "name": item.name, "archived": item.archived}


def list_tags(
    client: ClockifyClient, workspace_id: str, query: Mapping[str, Any] | None = None
) -> list[Tag]:
    """Every page; archived tags too unless `query` says `archived`."""
    path = client.path("workspaces", workspace_id, "tags")
    return client.get_all(path, Tag, query or {})


def _tags_named(client: ClockifyClient, workspace_id: str, name: str) -> list[Tag]:
    # `strict-name-search` asks Clockify for whole names only; its case rule is unknown,
    # so the comparison that decides is made here, on every page of what it sends.
    return list_tags(client, workspace_id, {"name": clean_name(name), "strict-name-search": True})


def tag_named(client: ClockifyClient, workspace_id: str, name: str) -> Tag | None:
    """The tag named `name`, or None; a `conflict` when several are."""
    return only_match(
        _tags_named(client, workspace_id, name), name, "tag", f"workspace {workspace_id}"
    )


def find_tag(client: ClockifyClient, workspace_id: str, name: str) -> Tag:
    """The tag named `name`, or a `not_found`; a `conflict` when several are."""
    return find(_tags_named(client, workspace_id, name), name, "tag", f"workspace {workspace_id}")


def create_tag(client: ClockifyClient, workspace_id: str, name: str) -> Tag:
    path = client.path("workspaces", workspace_id, "tags")
    return client.post(path, {"name": name}, Tag)
