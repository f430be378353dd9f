"""A workspace's tags in the pack's vocabulary, and the one way they are listed, looked up
by name, created, read, changed and deleted (docs/clockify-api.md §16, §20)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.common.helpers import delete_record, read_and_replace, read_record
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


# What update_tag may change, by input and result name.
CHANGEABLE = ("name", "archived")


def _tag_path(client: ClockifyClient, workspace_id: str, tag_id: str) -> str:
    return client.path("workspaces", workspace_id, "tags", tag_id)


def _tag_view(item: Tag) -> dict[str, Any]:
    return {**tag_output(item), "workspace_id": item.workspace_id}


def get_tag(client: ClockifyClient, workspace_id: str, tag_id: str) -> Tag:
    return read_record(
        client,
        _tag_path(client, workspace_id, tag_id),
        Tag,
        what="tag",
        view=_tag_view,
        asked={"id": tag_id, "workspace_id": workspace_id},
    )


def update_tag(
    client: ClockifyClient, workspace_id: str, tag_id: str, params: Mapping[str, Any]
) -> Tag:
    """The tag renamed, archived or brought back, the rest kept: Clockify's PUT replaces
    the tag and un-archives it when `archived` is left out (docs/clockify-api.md §16.2),
    so it is read and sent back whole (`read_and_replace`)."""
    return read_and_replace(
        client,
        _tag_path(client, workspace_id, tag_id),
        Tag,
        what="tag",
        view=_tag_view,
        asked={"id": tag_id, "workspace_id": workspace_id},
        replacement=lambda current: {
            "name": clean_name(params["name"]) if "name" in params else current.name,
            "archived": params.get("archived", current.archived),
        },
        untouched=[field for field in CHANGEABLE if field not in params],
    )


def delete_tag(client: ClockifyClient, workspace_id: str, tag_id: str) -> Tag:
    """One DELETE, answered with the deleted tag (docs/clockify-api.md §16.2)."""
    return delete_record(
        client,
        _tag_path(client, workspace_id, tag_id),
        Tag,
        what="tag",
        view=_tag_view,
        asked={"id": tag_id, "workspace_id": workspace_id},
    )
