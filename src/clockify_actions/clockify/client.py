"""The one Clockify client that handlers receive: JSON over HTTP, with regions, pacing,
safe retries, a cap on response size, and Clockify's errors mapped to the pack's."""

from __future__ import annotations

import ipaddress
import json
import logging
import random
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from clockify_actions import __version__
from clockify_actions.clockify.errors import error_for_response
from clockify_actions.clockify.retry import (
    GONE_AFTER_LOST_ANSWER,
    UNKNOWN_WRITE_OUTCOMES,
    Outcome,
    Pacer,
    RetrySettings,
    backoff_delay,
    is_retried,
    method_kind,
    outcome_for_status,
    parse_retry_after,
)
from clockify_actions.errors import ActionError, ErrorType
from clockify_actions.timeutil import utc_now

log = logging.getLogger("clockify_actions.http")

REGIONS: dict[str, str] = {
    "global": "https://api.clockify.me/api/v1",
    "euc1": "https://euc1.clockify.me/api/v1",
    "use2": "https://use2.clockify.me/api/v1",
    "euw2": "https://euw2.clockify.me/api/v1",
    "apse2": "https://apse2.clockify.me/api/v1",
}
DEFAULT_REGION = "global"
# What an HTTP header value can carry; Clockify's keys are printable ASCII.
_HEADER_SAFE = re.compile(r"[!-~]+")
USER_AGENT = f"clockify-actions/{__version__} (+https://pypi.org/project/clockify-actions/)"

Model = TypeVar("Model", bound=BaseModel)


def base_url_for(
    region: str | None = None, base_url: str | None = None, *, allow_insecure: bool = False
) -> str:
    """The API root for a region, or a validated override.

    Plain `http` is refused except on loopback (the sandbox) or when asked for, so that
    a mistyped URL never sends the API key unencrypted across a network.
    """
    if base_url:
        parts = urlsplit(base_url)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or not host:
            raise ActionError(
                ErrorType.CONFIG,
                f"base_url must be an http(s) URL such as {REGIONS[DEFAULT_REGION]}.",
            )
        if parts.scheme == "http" and not (allow_insecure or _is_loopback(host)):
            raise ActionError(
                ErrorType.CONFIG,
                "base_url must use https unless it points at this machine (the sandbox); "
                "pass allow_insecure to override.",
            )
        return base_url.rstrip("/")
    name = (region or DEFAULT_REGION).lower()
    if name not in REGIONS:
        raise ActionError(
            ErrorType.CONFIG,
            f"Unknown Clockify region {region!r}; use one of: {', '.join(REGIONS)}.",
        )
    return REGIONS[name]


def _is_loopback(host: str) -> bool:
    # `*.localhost` always resolves to this machine (RFC 6761); any other name might not.
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ClientSettings:
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    page_size: int = 5000
    max_pages: int = 10_000
    max_response_bytes: int = 64 * 1024 * 1024
    requests_per_second: float | None = 50.0
    retry: RetrySettings = field(default_factory=RetrySettings.from_environ)


class DryRun(Exception):
    """Raised instead of sending when the client only shows what it would send."""

    def __init__(self, request: dict[str, Any]) -> None:
        super().__init__("dry run")
        self.request = request


@dataclass(frozen=True)
class Answer:
    body: Any
    headers: httpx.Headers


class ClockifyClient:
    def __init__(
        self,
        api_key: str,
        base_url: str,
        *,
        settings: ClientSettings | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], datetime] = utc_now,
        sleep: Callable[[float], None] = time.sleep,
        dry_run: bool = False,
    ) -> None:
        if not _HEADER_SAFE.fullmatch(api_key):
            raise ActionError(
                ErrorType.CONFIG,
                "The API key contains spaces, line breaks or non-ASCII characters, which "
                "cannot be sent in a header: check how it was copied.",
            )
        self.settings = settings or ClientSettings()
        self.base_url = base_url.rstrip("/")
        self.clock = clock
        self.dry_run = dry_run
        self._sleep = sleep
        self._pacer = (
            Pacer.for_key(api_key, self.settings.requests_per_second)
            if self.settings.requests_per_second
            else None
        )
        self._http = httpx.Client(
            headers={
                "X-Api-Key": api_key,
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
            },
            timeout=httpx.Timeout(
                self.settings.read_timeout, connect=self.settings.connect_timeout
            ),
            transport=transport,
            follow_redirects=False,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ClockifyClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def now(self) -> datetime:
        return self.clock()

    @staticmethod
    def path(*segments: str) -> str:
        """A URL path from segments, each escaped so that no value can change the route."""
        return "/" + "/".join(quote(segment, safe="") for segment in segments)

    def get(self, path: str, model: type[Model], params: Mapping[str, Any] | None = None) -> Model:
        return self._parse("GET", path, model, self._call("GET", path, params=params)[0])

    def post(self, path: str, body: Mapping[str, Any], model: type[Model]) -> Model:
        return self._parse("POST", path, model, self._call("POST", path, body=body)[0])

    def patch(self, path: str, body: Mapping[str, Any], model: type[Model]) -> Model:
        return self._parse("PATCH", path, model, self._call("PATCH", path, body=body)[0])

    def put(self, path: str, body: Mapping[str, Any], model: type[Model]) -> Model:
        return self._parse("PUT", path, model, self._call("PUT", path, body=body)[0])

    def delete(self, path: str) -> None:
        self._call("DELETE", path)

    def get_list(
        self, path: str, model: type[Model], params: Mapping[str, Any] | None = None
    ) -> list[Model]:
        """An unpaginated list, such as `GET /workspaces`."""
        return self._parse_list("GET", path, model, self._call("GET", path, params=params)[0])

    def get_all(
        self, path: str, model: type[Model], params: Mapping[str, Any] | None = None
    ) -> list[Model]:
        """Every item of a paginated list, at the largest page size Clockify allows.

        Stops on `Last-Page: true`; without that header, on a page shorter than asked.
        Never returns a cut list: reaching `max_pages` is an error.
        """
        return list(self.iter_all(path, model, params))

    def iter_all(
        self, path: str, model: type[Model], params: Mapping[str, Any] | None = None
    ) -> Iterator[Model]:
        """The items of `get_all` as they arrive, so that a caller who needs only the
        first ones can stop early; the next page is asked for only when reached."""
        size = self.settings.page_size
        for number in range(1, self.settings.max_pages + 1):
            query = {**(params or {}), "page": number, "page-size": size}
            body, headers = self._call("GET", path, params=query)
            page = self._parse_list("GET", path, model, body)
            yield from page
            last_page = headers.get("last-page", "").strip().lower()
            if last_page == "true" or (last_page != "false" and len(page) < size) or not page:
                return
        raise ActionError(
            ErrorType.UPSTREAM,
            f"Clockify kept returning pages for GET {path} after {self.settings.max_pages} pages; "
            "stopped instead of returning a partial list.",
        )

    def _parse(self, method: str, path: str, model: type[Model], body: Any) -> Model:
        try:
            return model.model_validate(body)
        except ValidationError as error:
            raise _contract_error(method, path, error) from None

    def _parse_list(self, method: str, path: str, model: type[Model], body: Any) -> list[Model]:
        try:
            return _list_adapter(model).validate_python(body)
        except ValidationError as error:
            raise _contract_error(method, path, error) from None

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> tuple[Any, httpx.Headers]:
        request = self._http.build_request(
            method,
            self.base_url + path,
            params={k: _query_value(v) for k, v in (params or {}).items()},
            json=body,
        )
        if self.dry_run:
            raise DryRun(_describe(request, body))
        retry = self.settings.retry
        deadline = time.monotonic() + retry.deadline
        attempt = 0
        applied_maybe: Outcome | None = None  # an earlier attempt that may have been applied
        while True:
            attempt += 1
            if self._pacer is not None:
                self._pacer.wait()
            # No attempt may outlive the deadline, however long the read timeout is.
            remaining = max(0.001, deadline - time.monotonic())
            request.extensions["timeout"] = httpx.Timeout(
                min(self.settings.read_timeout, remaining),
                connect=min(self.settings.connect_timeout, remaining),
            ).as_dict()
            try:
                answer = self._attempt(request, method, path, attempt)
            except ActionError as error:
                gone = GONE_AFTER_LOST_ANSWER.get(method_kind(method))
                if applied_maybe is not None and error.type is gone:
                    raise _gone_after_lost_answer(error, method, applied_maybe, attempt) from None
                raise
            if isinstance(answer, Answer):
                return answer.body, answer.headers
            outcome, failure, retry_after = answer
            if outcome in UNKNOWN_WRITE_OUTCOMES:
                applied_maybe = outcome
            if attempt < retry.max_attempts and is_retried(method, outcome):
                wait = backoff_delay(attempt, retry_after, retry, random.Random())
                if time.monotonic() + wait < deadline:
                    log.info("retrying %s %s in %.2f s after %s", method, path, wait, outcome.value)
                    self._sleep(wait)
                    continue
            raise _final_error(method, path, outcome, failure, attempt)

    def _attempt(
        self, request: httpx.Request, method: str, path: str, attempt: int
    ) -> Answer | tuple[Outcome, Exception, float | None]:
        """One try: Clockify's parsed answer, or what became of the request and why."""
        started = time.monotonic()
        try:
            response = self._http.send(request, stream=True)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
            return self._failed(request, attempt, Outcome.NOT_SENT, error)
        except httpx.TimeoutException as error:
            return self._failed(request, attempt, Outcome.TIMEOUT, error)
        except httpx.TransportError as error:
            return self._failed(request, attempt, Outcome.BROKEN, error)
        try:
            content = self._read(response, method, path)
        except httpx.TimeoutException as error:
            return self._failed(request, attempt, Outcome.TIMEOUT, error)
        except httpx.TransportError as error:
            return self._failed(request, attempt, Outcome.BROKEN, error)
        status = response.status_code
        elapsed = (time.monotonic() - started) * 1000
        log.info(
            "%s %s -> %s in %.0f ms (attempt %d)", method, request.url, status, elapsed, attempt
        )
        if status == 204:
            return Answer(None, response.headers)
        if response.is_success:
            try:
                return Answer(json.loads(content), response.headers)
            except ValueError:
                # A success whose body cannot be read (cut short, or not JSON) may still
                # have been applied: for a write the outcome is unknown.
                return Outcome.BROKEN, _unreadable(content, method, path), None
        failure = error_for_response(status, content)
        outcome = outcome_for_status(status)
        if outcome is None:
            raise failure
        return outcome, failure, parse_retry_after(response.headers.get("retry-after"))

    @staticmethod
    def _failed(
        request: httpx.Request, attempt: int, outcome: Outcome, error: Exception
    ) -> tuple[Outcome, Exception, None]:
        log.info(
            "%s %s -> %s (attempt %d)", request.method, request.url, type(error).__name__, attempt
        )
        return outcome, error, None

    def _read(self, response: httpx.Response, method: str, path: str) -> bytes:
        limit = self.settings.max_response_bytes
        try:
            declared = int(response.headers.get("content-length", "0"))
            if declared > limit:
                raise _too_large(method, path, limit)
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise _too_large(method, path, limit)
                chunks.append(chunk)
            return b"".join(chunks)
        finally:
            response.close()


@cache
def _list_adapter(model: type[Model]) -> TypeAdapter[list[Model]]:
    # Building an adapter compiles a validator: far dearer than validating a page with it.
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def _query_value(value: Any) -> Any:
    return ("true" if value else "false") if isinstance(value, bool) else value


def _describe(request: httpx.Request, body: Mapping[str, Any] | None) -> dict[str, Any]:
    headers = {
        name: ("[redacted]" if name.lower() == "x-api-key" else value)
        for name, value in request.headers.items()
    }
    return {"method": request.method, "url": str(request.url), "headers": headers, "json": body}


def _unreadable(content: bytes, method: str, path: str) -> ActionError:
    return ActionError(
        ErrorType.UPSTREAM,
        f"Clockify answered {method} {path} with a body that is not valid JSON "
        f"({len(content)} bytes).",
    )


def _too_large(method: str, path: str, limit: int) -> ActionError:
    return ActionError(
        ErrorType.UPSTREAM,
        f"Clockify's answer to {method} {path} is larger than the {limit}-byte limit; "
        "it was not read.",
        retryable=False,
    )


def _contract_error(method: str, path: str, error: ValidationError) -> ActionError:
    problems = [
        {"path": "/" + "/".join(str(part) for part in problem["loc"]), "message": problem["msg"]}
        for problem in error.errors(include_url=False, include_input=False)[:20]
    ]
    return ActionError(
        ErrorType.CONTRACT,
        f"Clockify's answer to {method} {path} does not have the expected shape.",
        details=problems,
    )


def _gone_after_lost_answer(
    error: ActionError, method: str, earlier: Outcome, attempts: int
) -> ActionError:
    """A retried request refused for a reason an earlier, unanswered attempt can explain."""
    gone = error.reworded(
        f"{error.message} An earlier attempt of this {method} got no usable answer "
        f"({earlier.value}) and may itself have done it: check Clockify before acting on "
        "this error."
    )
    gone.details = [*error.details, {"attempts": attempts, "outcome": "unknown"}]
    return gone


_NETWORK_MESSAGES: dict[Outcome, str] = {
    Outcome.NOT_SENT: "Could not connect to Clockify",
    Outcome.TIMEOUT: "Clockify did not answer in time",
    Outcome.BROKEN: "The connection to Clockify broke before a full answer arrived",
}


def _final_error(
    method: str, path: str, outcome: Outcome, failure: Exception, attempts: int
) -> ActionError:
    if isinstance(failure, ActionError):
        error = failure
    else:
        error = ActionError(ErrorType.NETWORK, f"{_NETWORK_MESSAGES[outcome]} ({method} {path}).")
    details: dict[str, Any] = {"attempts": attempts}
    if method_kind(method) == "write" and outcome in UNKNOWN_WRITE_OUTCOMES:
        details["outcome"] = "unknown"
        error = error.reworded(
            f"{error.message} The {method} may or may not have been applied, so it was not "
            "sent again: check Clockify for the record before retrying."
        )
        error.retryable = False
    elif error.type is ErrorType.RATE_LIMITED:
        error = error.reworded(
            f"{error.message} Still rate limited after {attempts} attempts; wait a while "
            "and try again."
        )
    elif attempts > 1:
        error = error.reworded(f"{error.message} Gave up after {attempts} attempts.")
    error.details = [*error.details, details]
    return error
