"""Names to ids: the one comparison every find action uses, and find-or-create's race."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from clockify_actions.errors import ActionError, ErrorType
from clockify_actions.resources.common.lookup import (
    clean_name,
    find,
    find_or_create,
    matching,
    name_key,
    only_match,
)


@dataclass(frozen=True)
class Item:
    id: str
    name: str


ITEMS = [Item("1", "Website"), Item("2", "Web site"), Item("3", "  ACME   Corp ")]


@pytest.mark.parametrize(
    ("asked", "found"),
    [("website", "1"), ("WEBSITE ", "1"), ("acme corp", "3"), ("Acme  Corp", "3")],
)
def test_names_match_ignoring_case_and_extra_spaces(asked: str, found: str) -> None:
    assert find(ITEMS, asked, "project", "the workspace").id == found


def test_a_contained_name_is_not_a_match() -> None:
    # Clockify's own filter is "contains": "Web" would return all three.
    assert matching(ITEMS, "Web") == []


def test_no_match_is_not_found_and_says_where() -> None:
    with pytest.raises(ActionError) as caught:
        find(ITEMS, "Mobile", "project", "workspace 64b7")
    assert caught.value.type is ErrorType.NOT_FOUND
    assert "'Mobile'" in caught.value.message
    assert "workspace 64b7" in caught.value.message


def test_several_matches_are_a_conflict_naming_their_ids() -> None:
    twins = [Item("a1", "Design"), Item("b2", "design")]
    with pytest.raises(ActionError) as caught:
        only_match(twins, "Design", "project", "the workspace")
    assert caught.value.type is ErrorType.CONFLICT
    assert "a1" in caught.value.message and "b2" in caught.value.message


def test_find_or_create_returns_the_existing_item_without_creating() -> None:
    created: list[str] = []

    def create() -> Item:
        created.append("x")
        return Item("new", "Website")

    assert find_or_create(lambda: ITEMS[0], create) == (ITEMS[0], False)
    assert created == []


def test_find_or_create_creates_when_missing() -> None:
    assert find_or_create(lambda: None, lambda: Item("new", "Mobile")) == (
        Item("new", "Mobile"),
        True,
    )


def test_a_lost_race_reads_the_winner_back() -> None:
    lookups = iter([None, Item("winner", "Mobile")])

    def create() -> Item:
        raise ActionError(
            ErrorType.CONFLICT, "Mobile already exists", http_status=400, clockify_code=501
        )

    assert find_or_create(lambda: next(lookups), create) == (Item("winner", "Mobile"), False)


def test_a_conflict_with_no_winner_to_read_is_reported() -> None:
    def create() -> Item:
        raise ActionError(ErrorType.CONFLICT, "already exists", http_status=400, clockify_code=501)

    with pytest.raises(ActionError) as caught:
        find_or_create(lambda: None, create)
    assert caught.value.type is ErrorType.CONFLICT


def test_other_failures_of_the_create_are_not_retried_as_a_race() -> None:
    lookups: list[int] = []

    def look_up() -> Item | None:
        lookups.append(1)
        return None

    def create() -> Item:
        raise ActionError(ErrorType.PERMISSION, "no", http_status=403)

    with pytest.raises(ActionError) as caught:
        find_or_create(look_up, create)
    assert caught.value.type is ErrorType.PERMISSION
    assert len(lookups) == 1


def test_a_look_up_by_another_field_points_the_error_at_that_field() -> None:
    by_email = [Item("u1", "sam@example.com")]
    with pytest.raises(ActionError) as caught:
        find(by_email, "pat@example.com", "user", "workspace 64b7", field="email")
    assert caught.value.details == [{"path": "/email", "message": "no user has this email"}]
    assert "email 'pat@example.com'" in caught.value.message
    assert find(by_email, " SAM@example.com", "user", "workspace 64b7", field="email").id == "u1"


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("  Acme \t  Corp ", "Acme Corp"),
        ("Cafe\u0301", "Caf\u00e9"),  # a combining accent becomes the composed letter
        ("Acme\u00a0Corp", "Acme Corp"),  # a no-break space is a space
    ],
)
def test_a_name_is_sent_in_the_form_it_is_compared_in(typed: str, sent: str) -> None:
    assert clean_name(typed) == sent
    assert name_key(typed) == name_key(sent) == name_key(sent.upper())
