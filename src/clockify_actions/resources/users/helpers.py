"""A workspace's members in the pack's vocabulary, listed and looked up by name or email
(docs/clockify-api.md §18, §20)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.common.lookup import clean_name, find
from clockify_actions.resources.users.wire import User


def user_output(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "account_status": user.status,
        "time_zone": user.settings.time_zone if user.settings else None,
    }


def list_users(
    client: ClockifyClient, workspace_id: str, query: Mapping[str, Any] | None = None
) -> list[User]:
    path = client.path("workspaces", workspace_id, "users")
    return client.get_all(path, User, query or {})


@dataclass(frozen=True)
class _Keyed:
    """A user seen through the one field it is looked up by (its name or its email)."""

    id: str
    name: str
    user: User


def find_user(client: ClockifyClient, workspace_id: str, field: str, value: str) -> User:
    """The one member whose `field` (`name` or `email`) is `value`; a member who has not
    finished signing up may have no name (§18) and is then found by email only."""
    found = list_users(client, workspace_id, {field: clean_name(value)})
    keyed = [_Keyed(u.id, getattr(u, field) or "", u) for u in found]
    return find(keyed, value, "user", f"workspace {workspace_id}", field=field).user
