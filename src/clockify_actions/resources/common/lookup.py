"""Names to ids: find one item of a Clockify list by its exact name, or find it else
create it.

Clockify filters lists by name on the server, but as "contains" on most routes and with
case handling it does not document (docs/clockify-api.md §20). So the caller reads every
page of the server-filtered list and the comparison is made here, once for every kind of
item (`name_key`). Names are sent to Clockify, as a filter and on a create, in the form
`clean_name` gives, the same that is compared: otherwise two runs given "Acme  Corp" and
"Acme Corp" would each create their own, as would "Café" typed with a combining accent
and without. Archived (or done) items are in the list Clockify returns by default, so
they are found too; the caller says so in its description and filters them out when the
user asks.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, TypeVar

from clockify_actions.clockify.errors import may_be_taken_name
from clockify_actions.errors import ActionError, ErrorType

MAX_LISTED_MATCHES = 5


class Named(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...


Item = TypeVar("Item", bound=Named)


# What "the same name" means, as the find actions' descriptions say it.
SAME_NAME = (
    "the whole name, ignoring letter case, spaces at either end, how many spaces or tabs "
    "separate its words, and how accented letters are encoded (Unicode NFC)"
)


def clean_name(name: str) -> str:
    """The name as the pack sends it: trimmed, every run of white space inside it one
    space, accented letters composed (Unicode NFC)."""
    return unicodedata.normalize("NFC", " ".join(name.split()))


def name_key(name: str) -> str:
    """The form two names are compared in: what a person would call the same name."""
    return unicodedata.normalize("NFC", clean_name(name).casefold())


def matching(items: Iterable[Item], name: str) -> list[Item]:
    """The items whose name is `name`, as a person would read it."""
    wanted = name_key(name)
    return [item for item in items if name_key(item.name) == wanted]


def only_match(
    items: Iterable[Item], name: str, what: str, where: str, *, field: str = "name"
) -> Item | None:
    """The one item named `name`; None when there is none; a `conflict` when several
    share it, naming their ids so that the caller can choose one.

    `field` is the input parameter that carried `name` (say `email` when the items'
    `name` holds their email address), so that the error points at it."""
    found = matching(items, name)
    if len(found) > 1:
        ids = ", ".join(item.id for item in found[:MAX_LISTED_MATCHES])
        more = "" if len(found) <= MAX_LISTED_MATCHES else f" and {len(found) - 5} more"
        raise ActionError(
            ErrorType.CONFLICT,
            f"{len(found)} {what}s in {where} have the {field} {name!r} (ids {ids}{more}); "
            f"use the id of the one you mean.",
            details=[{"path": f"/{field}", "message": f"matches {len(found)} {what}s"}],
        )
    return found[0] if found else None


def find(items: Sequence[Item], name: str, what: str, where: str, *, field: str = "name") -> Item:
    """The one item named `name`, or a `not_found` that says where it was looked for."""
    item = only_match(items, name, what, where, field=field)
    if item is None:
        raise ActionError(
            ErrorType.NOT_FOUND,
            f"No {what} with the {field} {name!r} in {where} ({field}s are compared "
            "ignoring case and extra spaces).",
            details=[{"path": f"/{field}", "message": f"no {what} has this {field}"}],
        )
    return item


def find_or_create(
    look_up: Callable[[], Item | None], create: Callable[[], Item]
) -> tuple[Item, bool]:
    """The existing item and False, or the one created and True.

    When another run creates the same name between the look-up and the create, Clockify
    refuses the second create as a duplicate; the name is then looked up again, so that
    racing runs end with one item and each reports it. Clockify words that refusal in the
    account's language, so it is recognised by its status (`may_be_taken_name`), not its
    words: a refusal the second look-up does not explain is reported as it came.
    """
    existing = look_up()
    if existing is not None:
        return existing, False
    try:
        return create(), True
    except ActionError as error:
        if not may_be_taken_name(error):
            raise
        winner = look_up()
        if winner is None:
            raise
        return winner, False
