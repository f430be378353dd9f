"""The pack's error family: one envelope, one exit code and one retry hint per type.

Errors are grouped by what the caller should do about them (fix the input, fix the
configuration, wait and retry, report a bug), not by where they were raised.

An error's `details` is a list of objects, of two kinds (this is the one place that
defines them):

- a problem, `{"path": "/json/pointer", "message": "..."}`: one per invalid input, or per
  field of a Clockify answer that does not have the expected shape or is about another
  record than the one asked for; on the `conflict` of an update whose answer shows that
  someone else changed the record between its read and its write, one per such field,
  with both values: `"read"` (as the update read it) and `"answered"` (as Clockify
  answered its write, which was applied);
- the request record, at most one, on every error of a request Clockify was sent (or was
  about to be) and on every error of an action that writes: `{"attempts": n}`, and for a
  write (POST, PUT, PATCH, DELETE) or a writing action also `"outcome"`, what became of
  the write: `not_applied` (Clockify refused it or never got it, or nothing was sent: an
  invalid input, a configuration error), `applied` (Clockify accepted it, though its
  answer or the action's result could not be used) or `unknown` (it may or may not have
  been applied: check Clockify before sending it again). `n` counts the attempts of the
  request that failed; when none did, the writes the run sent (0 when it sent none).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorType(StrEnum):
    VALIDATION = "validation_error"
    CONFIG = "config_error"
    AUTH = "auth_error"
    PERMISSION = "permission_error"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    REJECTED = "rejected"
    RATE_LIMITED = "rate_limited"
    UPSTREAM = "upstream_error"
    NETWORK = "network_error"
    CONTRACT = "contract_error"
    INTERNAL = "internal_error"


EXIT_CODES: dict[ErrorType, int] = {
    ErrorType.VALIDATION: 2,
    ErrorType.CONFIG: 2,
    ErrorType.AUTH: 3,
    ErrorType.PERMISSION: 3,
    ErrorType.NOT_FOUND: 4,
    ErrorType.CONFLICT: 5,
    ErrorType.REJECTED: 5,
    ErrorType.RATE_LIMITED: 6,
    ErrorType.UPSTREAM: 7,
    ErrorType.NETWORK: 7,
    ErrorType.CONTRACT: 8,
    ErrorType.INTERNAL: 1,
}

# Whether the same call may succeed if simply made again later.
RETRYABLE: frozenset[ErrorType] = frozenset(
    {ErrorType.RATE_LIMITED, ErrorType.UPSTREAM, ErrorType.NETWORK}
)

USAGE_EXIT_CODE = 2


class WriteOutcome(StrEnum):
    """What became of a write that failed, as far as the pack can tell."""

    NOT_APPLIED = "not_applied"
    APPLIED = "applied"
    UNKNOWN = "unknown"


class ActionError(Exception):
    """A failure that becomes the documented error envelope; never a traceback."""

    def __init__(
        self,
        type: ErrorType,
        message: str,
        *,
        http_status: int | None = None,
        clockify_code: int | None = None,
        details: list[dict[str, Any]] | None = None,
        retryable: bool | None = None,
    ) -> None:
        super().__init__(message)
        self.type = type
        self.message = message
        self.http_status = http_status
        self.clockify_code = clockify_code
        self.details: list[dict[str, Any]] = list(details or [])
        self.retryable = type in RETRYABLE if retryable is None else retryable

    def reworded(self, message: str) -> ActionError:
        """The same failure with a message that says more to the caller."""
        error = ActionError(
            self.type,
            message,
            http_status=self.http_status,
            clockify_code=self.clockify_code,
            details=self.details,
            retryable=self.retryable,
        )
        error.__cause__ = self
        return error

    def about_request(self, attempts: int, outcome: WriteOutcome | None = None) -> ActionError:
        """This error with its request record (see the module docstring) set: the
        attempts made and, for a write, what became of it."""
        record: dict[str, Any] = {"attempts": attempts}
        if outcome is not None:
            record["outcome"] = outcome.value
        self.details = [*(d for d in self.details if "attempts" not in d), record]
        return self

    def envelope(self) -> dict[str, Any]:
        return {
            "status": "error",
            "error": {
                "type": self.type.value,
                "message": self.message,
                "retryable": self.retryable,
                "http_status": self.http_status,
                "clockify_code": self.clockify_code,
                "details": self.details,
            },
        }

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.type]

    def __repr__(self) -> str:
        return f"ActionError({self.type.value!r}, {self.message!r})"


class ActionFailed(Exception):
    """What `Pack.call` raises for any failed action: the one exception an orchestrator
    catches, carrying the whole error envelope. `retryable` says whether the same call
    may pass if simply made again (drive a retry policy with it); `outcome`, for a write,
    whether it was `applied`, `not_applied` or `unknown` (never resend an `unknown` one
    without checking Clockify first)."""

    def __init__(self, envelope: dict[str, Any]) -> None:
        error = envelope["error"]
        super().__init__(f"{error['type']}: {error['message']}")
        self.envelope = envelope
        self.type: str = error["type"]
        self.message: str = error["message"]
        self.retryable: bool = error["retryable"]
        self.http_status: int | None = error.get("http_status")
        self.clockify_code: int | None = error.get("clockify_code")
        self.details: list[dict[str, Any]] = error.get("details", [])
        self.outcome: str | None = next(
            (d["outcome"] for d in self.details if "outcome" in d), None
        )

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Pickled by its envelope: task queues and process pools send exceptions on.
        return (self.__class__, (self.envelope,))


def exit_code_for(envelope: dict[str, Any]) -> int:
    """The CLI exit code for any envelope the runtime returns."""
    if envelope.get("status") != "error":
        return 0
    return EXIT_CODES[ErrorType(envelope["error"]["type"])]


def sentence(text: str) -> str:
    """The text as a sentence that another can follow: Clockify's messages often end bare."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def invalid(path: str, message: str) -> ActionError:
    """A validation error for one input, found by a handler before anything was sent."""
    return ActionError(
        ErrorType.VALIDATION,
        f"Invalid input: {message}.",
        details=[{"path": path, "message": message}],
    )
