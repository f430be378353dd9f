"""What every resource's reads and writes share: the check that an answer is about the
record that was asked for, the count of writes a step sent, one record read and deleted,
and the read-and-replace that turns Clockify's whole-record PUT into a partial update
without hiding another's change.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

from clockify_actions.clockify import ClockifyClient
from clockify_actions.clockify.light import WireObject
from clockify_actions.errors import ActionError, ErrorType, WriteOutcome

Record = TypeVar("Record", bound=WireObject)
Answer = TypeVar("Answer")


def answered_about(
    answer: Mapping[str, Any],
    asked: Mapping[str, Any],
    what: str,
    request: str,
    *,
    writes: int | None = None,
) -> None:
    """A `contract_error` unless Clockify's answer to `request` is about the record asked
    for: `asked` holds what the request named (an id, a workspace, a user) by the answer's
    field in the pack's vocabulary. Such an answer is never applied to the request. For a
    write, `writes` is how many it sent, which Clockify accepted: the error says `applied`."""
    wrong = [
        {
            "path": f"/{field}",
            "message": f"is {answer.get(field)!r}; the request was for {value!r}",
        }
        for field, value in asked.items()
        if answer.get(field) != value
    ]
    if wrong:
        shown = ", ".join(f"{field} {value}" for field, value in asked.items())
        error = ActionError(
            ErrorType.CONTRACT,
            f"Clockify answered {request} with another {what} than the one asked for "
            f"({shown}); its answer was not used.",
            details=wrong,
        )
        raise error if writes is None else applied(error, writes)


def applied(error: ActionError, writes: int) -> ActionError:
    """`error`, met after Clockify accepted this run's `writes`, saying the write was
    applied: it must not be sent again blindly."""
    error.retryable = False
    return error.about_request(writes, WriteOutcome.APPLIED)


def written(client: ClockifyClient, write: Callable[[], Answer]) -> tuple[Answer, int]:
    """What `write` returns, and how many writes it sent (retries included)."""
    before = client.writes_sent
    answer = write()
    return answer, client.writes_sent - before


def read_record(
    client: ClockifyClient,
    path: str,
    model: type[Record],
    *,
    what: str,
    view: Callable[[Record], dict[str, Any]],
    asked: Mapping[str, Any],
) -> Record:
    """The record at `path`, which must be the one `asked` for (`view` gives it in the
    pack's vocabulary)."""
    record = client.get(path, model)
    answered_about(view(record), asked, what, f"GET {path}")
    return record


def delete_record(
    client: ClockifyClient,
    path: str,
    model: type[Record],
    *,
    what: str,
    view: Callable[[Record], dict[str, Any]],
    asked: Mapping[str, Any],
) -> Record:
    """One DELETE of `path`, whose answer is the deleted record: it must be the one
    `asked` for, else a `contract_error` saying the delete was applied."""
    deleted, writes = written(client, lambda: client.delete_returning(path, model))
    answered_about(view(deleted), asked, what, f"DELETE {path}", writes=writes)
    return deleted


def read_and_replace(
    client: ClockifyClient,
    path: str,
    model: type[Record],
    *,
    what: str,
    view: Callable[[Record], dict[str, Any]],
    asked: Mapping[str, Any],
    replacement: Callable[[Record], dict[str, Any]],
    untouched: Collection[str],
    query: Mapping[str, Any] | None = None,
) -> Record:
    """Clockify's PUT of `path` replaces the whole record and has no condition on its
    version, so a partial update reads the record, sends it back with the changes
    (`replacement` of the record as read) and then compares: both answers must be about
    the record `asked` for (`view` gives a record in the pack's vocabulary), and the
    fields the caller did not change (`untouched`) must come back as they were read.
    One that does not was changed by someone else between the read and the write: a
    `conflict` naming both values, with the write `applied` (it was). `query` goes on
    the PUT only."""
    current = client.get(path, model)
    before = view(current)
    answered_about(before, asked, what, f"GET {path}")
    body = replacement(current)
    updated, writes = written(client, lambda: client.put(path, body, model, query))
    after = view(updated)
    answered_about(after, asked, what, f"PUT {path}", writes=writes)
    moved = [field for field in untouched if before.get(field) != after.get(field)]
    if moved:
        raise applied(_changed_in_between(before, after, moved, what), writes)
    return updated


def _changed_in_between(
    before: Mapping[str, Any], after: Mapping[str, Any], moved: list[str], what: str
) -> ActionError:
    shown = "; ".join(
        f"{field} was {before.get(field)!r}, is now {after.get(field)!r}" for field in moved
    )
    return ActionError(
        ErrorType.CONFLICT,
        f"The {what} was changed by someone else between this update's read and its "
        f"write: Clockify applied the update, but fields it did not change came back "
        f"different from what was read ({shown}). Look at the {what} in Clockify "
        "before running the update again.",
        details=[
            {
                "path": f"/{field}",
                "message": "changed by someone else between the read and the write",
                "read": before.get(field),
                "answered": after.get(field),
            }
            for field in moved
        ],
    )
