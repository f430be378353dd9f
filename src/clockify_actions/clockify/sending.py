"""How one request is sent and what its failure says: the line to a host, the parsed
answer, the request's URL, and the errors of a request that could not be sent, read or
trusted, each with what became of a write."""

from __future__ import annotations

import email.utils
import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

import httpx

from clockify_actions.clockify.forms import Form
from clockify_actions.clockify.retry import (
    Outcome,
    method_kind,
    write_outcome,
)
from clockify_actions.clockify.wall import left
from clockify_actions.errors import ActionError, ErrorType, WriteOutcome

if TYPE_CHECKING:
    from pydantic import BaseModel, TypeAdapter, ValidationError

    from clockify_actions.clockify.settings import ClientSettings


class Answer:
    """Clockify's parsed answer to one request (a plain class: a dataclass costs about half
    a millisecond of every start to build, and more to make per request)."""

    __slots__ = ("attempts", "body", "headers")

    def __init__(self, body: Any, headers: httpx.Headers, attempts: int) -> None:
        self.body = body
        self.headers = headers
        self.attempts = attempts


class Line:
    """One host's httpx client, which owns its transport and connections, and how a request
    is sent on it: straight on the transport, as `httpx.Client.send` would after its cookie
    jar, auth flow, event hooks and redirect checks, none of which Clockify's API uses
    (the client follows no redirect and keeps no cookie). The request carries the client's
    headers and the attempt's timeouts; the transport is the one the client was built
    with (its proxy rule, CA settings, deadline wall, loopback pinning and fresh
    connections for writes are the transport's own, see `clockify.transport`)."""

    __slots__ = ("handle", "headers", "http")

    def __init__(self, http: httpx.Client, transport: httpx.BaseTransport) -> None:
        self.http = http
        self.headers = http.headers
        self.handle = transport.handle_request

    def send(self, request: httpx.Request) -> httpx.Response:
        if self.http.is_closed:
            raise RuntimeError("Cannot send a request, as the client has been closed.")
        return self.handle(request)


@cache
def list_adapter(model: type[BaseModel]) -> TypeAdapter[list[Any]]:
    # Building an adapter compiles a validator: far dearer than validating a page with it.
    from pydantic import TypeAdapter

    return TypeAdapter(list[model])  # type: ignore[valid-type]


def request_url(url: str, params: Mapping[str, Any] | None) -> str | httpx.URL:
    """The request's URL with its query, encoded by httpx as `params=` would, but parsed
    once: httpx parses a URL again for every `params` it merges (even an empty one)."""
    if not params:
        return url
    query = httpx.QueryParams({k: _query_value(v) for k, v in params.items()})
    if "?" in url:  # a path that carries a query already: let httpx merge the two
        return httpx.URL(url).copy_merge_params(query)
    return f"{url}?{query}"


# URLs parsed before: httpx checks a URL character by character, and a worker or a pool
# asks for the same few (a workspace's projects, the user) again and again. An httpx.URL
# never changes, so one can serve every request that names it.
_PARSED: dict[str, httpx.URL] = {}


def parsed_url(url: str | httpx.URL) -> httpx.URL:
    if isinstance(url, httpx.URL):
        return url
    found = _PARSED.get(url)
    if found is None:
        found = httpx.URL(url)  # raises InvalidURL for what no client sends
        if len(_PARSED) >= 512:
            _PARSED.clear()
        _PARSED[url] = found
    return found


def _query_value(value: Any) -> Any:
    return ("true" if value else "false") if isinstance(value, bool) else value


def described(
    request: httpx.Request, body: Mapping[str, Any] | Sequence[Mapping[str, Any]] | Form | None
) -> dict[str, Any]:
    headers = {
        name: ("[redacted]" if name.lower() == "x-api-key" else value)
        for name, value in request.headers.items()
    }
    sent = {"form": body.described()} if isinstance(body, Form) else {"json": body}
    return {"method": request.method, "url": str(request.url), "headers": headers, **sent}


def unsendable(method: str, path: str, error: httpx.InvalidURL, reports: bool) -> ActionError:
    """The input made a request no HTTP client sends; nothing was sent."""
    failure = ActionError(
        ErrorType.VALIDATION,
        f"The {method} {path} request cannot be sent: {error}. Ask for fewer values at once "
        "(fewer ids, a shorter text).",
    )
    write = method_kind(method, reports=reports) != "read"
    return failure.about_request(0, WriteOutcome.NOT_APPLIED if write else None)


def unreadable(content: bytes, method: str, path: str) -> ActionError:
    return ActionError(
        ErrorType.UPSTREAM,
        f"Clockify answered {method} {path} with a body that is not valid JSON "
        f"({len(content)} bytes).",
    )


def unreadable_write(content: bytes, method: str, path: str, status: int) -> ActionError:
    return ActionError(
        ErrorType.CONTRACT,
        f"Clockify answered {method} {path} with HTTP {status} but a body that is not valid "
        f"JSON ({len(content)} bytes), so the result cannot be shown.",
    )


def last_page(answer: Answer) -> str:
    """Clockify's `Last-Page` header, lower case; empty when it is absent."""
    return str(answer.headers.get("last-page", "")).strip().lower()


def endless(path: str, why: str, method: str = "GET") -> ActionError:
    return ActionError(
        ErrorType.UPSTREAM,
        f"Clockify kept sending pages of {method} {path}: stopped because {why}, instead of "
        "returning a partial list.",
        retryable=False,
    )


def too_large(method: str, path: str, limit: int) -> ActionError:
    return ActionError(
        ErrorType.UPSTREAM,
        f"Clockify's answer to {method} {path} is larger than the {limit}-byte limit; "
        "it was not read.",
        retryable=False,
    )


def contract_error(
    method: str, path: str, error: ValidationError, attempts: int, reports: bool = False
) -> ActionError:
    problems = [
        {"path": "/" + "/".join(str(part) for part in problem["loc"]), "message": problem["msg"]}
        for problem in error.errors(include_url=False, include_input=False)[:20]
    ]
    failure = ActionError(
        ErrorType.CONTRACT,
        f"Clockify's answer to {method} {path} does not have the expected shape.",
        details=problems,
    )
    outcome = WriteOutcome.APPLIED if method_kind(method, reports=reports) != "read" else None
    return settled(failure, method, attempts, outcome)


def gone_after_lost_answer(
    error: ActionError, method: str, earlier: Outcome, attempts: int
) -> ActionError:
    """A retried request refused for a reason an earlier, unanswered attempt can explain."""
    gone = error.reworded(
        f"{error.message} An earlier attempt of this {method} got no usable answer "
        f"({earlier.value}) and may itself have done it: check Clockify before acting on "
        "this error."
    )
    return gone.about_request(attempts, WriteOutcome.UNKNOWN)


_NETWORK_MESSAGES: dict[Outcome, str] = {
    Outcome.NOT_SENT: "Could not connect to Clockify",
    Outcome.TIMEOUT: "Clockify did not answer in time",
    Outcome.BROKEN: "The connection to Clockify broke before a full answer arrived",
}


def final_error(
    method: str, path: str, outcome: Outcome, failure: Exception, attempts: int, reports: bool
) -> ActionError:
    if isinstance(failure, ActionError):
        error = failure
    else:
        error = ActionError(ErrorType.NETWORK, f"{_NETWORK_MESSAGES[outcome]} ({method} {path}).")
    if error.type is ErrorType.RATE_LIMITED:
        error = error.reworded(
            f"{error.message} Still rate limited after {attempts} attempts; wait a while "
            "and try again."
        )
    elif attempts > 1:
        error = error.reworded(f"{error.message} Gave up after {attempts} attempts.")
    write = method_kind(method, reports=reports) != "read"
    return settled(error, method, attempts, write_outcome(outcome) if write else None)


# What the caller is told about a write that may have been applied.
_WRITE_ADVICE: dict[WriteOutcome, str] = {
    WriteOutcome.APPLIED: (
        "Clockify applied the {method}, so do not send it again: look the record up in "
        "Clockify instead."
    ),
    WriteOutcome.UNKNOWN: (
        "The {method} may or may not have been applied, so it was not sent again: check "
        "Clockify for the record before retrying."
    ),
}


def settled(
    error: ActionError, method: str, attempts: int, outcome: WriteOutcome | None
) -> ActionError:
    """The error with its request record; a write that may have been applied also gets
    advice against sending it again blindly, and is not retryable."""
    advice = None if outcome is None else _WRITE_ADVICE.get(outcome)
    if advice is not None:
        error = error.reworded(f"{error.message} {advice.format(method=method)}")
        error.retryable = False
    return error.about_request(attempts, outcome)


def read_body(
    response: httpx.Response, settings: ClientSettings, method: str, path: str, reports: bool
) -> bytes:
    """The answer's body, read as it streams in: stopped at the size cap (a report's
    is smaller), and at the attempt's deadline whatever the transport."""
    limit = (
        min(settings.max_response_bytes, settings.max_report_bytes)
        if reports
        else (settings.max_response_bytes)
    )
    try:
        declared = int(response.headers.get("content-length", "0"))
        if declared > limit:
            raise too_large(method, path, limit)
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise too_large(method, path, limit)
            if chunks:  # a transport that does not cut its reads at the deadline
                left(None, httpx.ReadTimeout)
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        response.close()


def date_header(value: str | None) -> datetime | None:
    """An answer's `Date` header as an aware UTC instant, to the second; None when the
    answer had none or an unreadable one."""
    if not value:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def failed(
    request: httpx.Request, attempt: int, outcome: Outcome, error: Exception
) -> tuple[Outcome, Exception, None]:
    """An attempt that got no answer: logged, and what became of it."""
    logging.getLogger("clockify_actions.http").info(
        "%s %s -> %s (attempt %d)", request.method, request.url, type(error).__name__, attempt
    )
    return outcome, error, None
