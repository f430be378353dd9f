"""Clockify's answers mapped to the pack's error types: one table, read top to bottom.

Clockify reports unknown ids as HTTP 400 with code 501 ("Project doesn't belong to
Workspace") and duplicate names the same way, so the status alone is not enough; the
rules below also look at the body's code and message (English and the localized Spanish
text Clockify sends to Spanish-speaking accounts).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from clockify_actions.errors import ActionError, ErrorType, sentence

if TYPE_CHECKING:
    from clockify_actions.clockify.models import ErrorBody


class Rule:
    """One line of the table. A plain class (only read, never compared): a dataclass
    cost every start its building."""

    __slots__ = ("message", "status", "type")

    def __init__(
        self, type: ErrorType, status: range, message: re.Pattern[str] | None = None
    ) -> None:
        self.type = type
        self.status = status
        self.message = message


_DOESNT_BELONG = re.compile(r"doesn't belong to|does not belong to|no pertenece a", re.IGNORECASE)
_ALREADY_EXISTS = re.compile(r"already exists|ya existe", re.IGNORECASE)
# A module the workspace's plan lacks: expenses answered 400 "Sin suscripción activa" to a
# Spanish-speaking account (docs/clockify-api.md, "Plans"); the English text is unrecorded.
_NO_SUBSCRIPTION = re.compile(r"subscription|suscripci[oó]n", re.IGNORECASE)

RULES: tuple[Rule, ...] = (
    Rule(ErrorType.NOT_FOUND, range(400, 401), _DOESNT_BELONG),
    Rule(ErrorType.CONFLICT, range(400, 401), _ALREADY_EXISTS),
    Rule(ErrorType.PERMISSION, range(400, 401), _NO_SUBSCRIPTION),
    Rule(ErrorType.AUTH, range(401, 402)),
    # Payment Required: the plan lacks the module (other modules than expenses).
    Rule(ErrorType.PERMISSION, range(402, 403)),
    Rule(ErrorType.PERMISSION, range(403, 404)),
    Rule(ErrorType.NOT_FOUND, range(404, 405)),
    Rule(ErrorType.CONFLICT, range(409, 410)),
    Rule(ErrorType.RATE_LIMITED, range(429, 430)),
    Rule(ErrorType.REJECTED, range(400, 500)),
    Rule(ErrorType.UPSTREAM, range(500, 600)),
)

# The answers with which Clockify may refuse a create because the name is taken, by error
# type and HTTP status: 400, code 501 where it sends one (docs/clockify-api.md §5, §15.2,
# §16.2, §19.4; the code of a task's is unknown, §17.2), its text in the account's
# language (§1.3). A message `RULES` reads ("already exists", "ya existe") makes it a
# `conflict`; any other language leaves it `rejected`, like a refused name that is too
# long, so only looking the name up again tells them apart. "Doesn't belong" (an unknown
# client or project) is read as `not_found` and is never a taken name.
TAKEN_NAME_REFUSALS: frozenset[tuple[ErrorType, int]] = frozenset(
    {(ErrorType.CONFLICT, 400), (ErrorType.REJECTED, 400), (ErrorType.CONFLICT, 409)}
)


def may_be_taken_name(error: ActionError) -> bool:
    """Whether `error`, the refusal of a create, may mean that the name is taken."""
    return (error.type, error.http_status) in TAKEN_NAME_REFUSALS


# Clockify's own message is copied into the envelope up to this many characters: enough for
# any real one, and a hostile or broken server cannot make an envelope of megabytes.
MAX_MESSAGE_CHARS = 1000

_FALLBACK_MESSAGES: dict[ErrorType, str] = {
    ErrorType.AUTH: "Clockify did not accept the API key.",
    ErrorType.PERMISSION: "Access denied: the API key's user cannot use this workspace.",
    ErrorType.RATE_LIMITED: "Too many requests: Clockify's rate limit was reached.",
    ErrorType.UPSTREAM: "Clockify had a server error.",
}


def parse_error_body(content: bytes) -> ErrorBody:
    """Clockify's `{"message", "code"}`, tolerating empty, HTML and odd bodies."""
    # Imported here: a run that meets no error never loads pydantic.
    from pydantic import ValidationError

    from clockify_actions.clockify.models import ErrorBody

    try:
        return ErrorBody.model_validate_json(content)
    except ValidationError:
        return ErrorBody()


def error_for_response(status: int, content: bytes) -> ActionError:
    body = parse_error_body(content)
    message, code = body.message, body.code
    if message is not None and len(message) > MAX_MESSAGE_CHARS:
        message = message[:MAX_MESSAGE_CHARS] + "..."
    for rule in RULES:
        if status in rule.status and (
            rule.message is None or (message is not None and rule.message.search(message))
        ):
            error_type = rule.type
            break
    else:
        error_type = ErrorType.UPSTREAM
    if status == 402 and not message:
        # Clockify's 402 comes with an empty body (docs/clockify-api.md, "Plans").
        message = "Payment required: the workspace's Clockify plan does not include this."
    text = sentence(
        message or _FALLBACK_MESSAGES.get(error_type) or f"Clockify answered HTTP {status}."
    )
    if error_type is ErrorType.AUTH:
        text += " Check the API key (CLOCKIFY_API_KEY); Clockify's profile settings issue one."
    return ActionError(error_type, text, http_status=status, clockify_code=code)
