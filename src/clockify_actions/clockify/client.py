"""The one Clockify client that handlers receive: JSON over HTTP, with regions, pacing,
safe retries, caps on response size, list length and time, and Clockify's errors mapped
to the pack's.

Every error of a request carries its request record (`ActionError.about_request`): the
attempts made and, for a write, what became of it. A write is `applied` when Clockify's
whole answer arrived with a 2xx status but could not be used, `not_applied` when Clockify
refused it (4xx, 429) or never received it, and `unknown` when its answer did not arrive
whole (a timeout, the deadline, a dropped connection) or was a 5xx.
"""

from __future__ import annotations

import email.utils
import json
import logging
import os
import random
import re
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar, cast
from urllib.parse import quote, urlsplit

import httpx

from clockify_actions.clockify.errors import error_for_response
from clockify_actions.clockify.light import (
    Spec,
    WireObject,
    from_pydantic,
    parse_fast,
    parse_list_fast,
)
from clockify_actions.clockify.retry import (
    GONE_AFTER_LOST_ANSWER,
    UNKNOWN_WRITE_OUTCOMES,
    FrozenSettings,
    Outcome,
    Pacer,
    RetrySettings,
    backoff_delay,
    is_retried,
    method_kind,
    outcome_for_status,
    parse_retry_after,
    write_outcome,
    write_outcome_for_status,
)
from clockify_actions.clockify.wall import deadline_of, left
from clockify_actions.errors import ActionError, ErrorType, WriteOutcome
from clockify_actions.loopback import is_loopback_host
from clockify_actions.timeutil import utc_now

if TYPE_CHECKING:
    from pydantic import BaseModel, TypeAdapter, ValidationError

log = logging.getLogger("clockify_actions.http")

# What an HTTP header value can carry; Clockify's keys are printable ASCII.
_HEADER_SAFE = re.compile(r"[!-~]+")
# Sent when the settings name no user agent: whoever builds the client names itself there.
USER_AGENT = "clockify-actions"

# A pydantic model of `clockify.models` (or a handler's own), or its light twin of
# `clockify.wire`, which parses valid answers without importing pydantic.
Page = TypeVar("Page")
Model = TypeVar("Model", bound="BaseModel | WireObject")


# The most items one paginated list may hold: a workspace of more projects than this is
# not one the pack serves, and a server that sends full pages forever is stopped here.
MAX_LIST_ITEMS = 100_000
# The largest page of a detailed report Clockify serves (docs/clockify-api.md §24.2).
REPORT_PAGE_SIZE = 1000


# `retry` not given: the retry settings from the environment at construction.
_RETRY_FROM_ENVIRON: Any = object()
# The items asked for per list page, unless `CLOCKIFY_PAGE_SIZE` asks for fewer: Clockify's
# largest page on most routes (§26); a route with a smaller ceiling asks for that.
PAGE_SIZE = 5000
PAGE_SIZE_ENV = "CLOCKIFY_PAGE_SIZE"


def page_size_from_environ() -> int:
    """`CLOCKIFY_PAGE_SIZE` (1 to 5000), else `PAGE_SIZE`: a smaller page holds less in
    memory at once, and a replay of a list recorded page by page can be served as it was."""
    raw = os.environ.get(PAGE_SIZE_ENV)
    if not raw:
        return PAGE_SIZE
    if not raw.isdigit() or not 1 <= int(raw) <= PAGE_SIZE:
        raise ActionError(
            ErrorType.CONFIG, f"{PAGE_SIZE_ENV} must be a whole number from 1 to {PAGE_SIZE}."
        )
    return int(raw)


class ClientSettings(FrozenSettings):
    """Timeouts, sizes and caps; a whole paginated list must arrive within the retry
    deadline and hold at most `max_list_items` items. A report's answer (a summary, or a
    page of a detailed report) may hold at most `max_report_bytes`: what the pack does with
    an answer takes time and memory in proportion to it (about 15 times its size), and
    a page of 1,000 detailed entries or the summary of a large workspace is a few MiB."""

    _FIELDS = (
        "connect_timeout",
        "read_timeout",
        "page_size",
        "max_pages",
        "max_list_items",
        "max_response_bytes",
        "requests_per_second",
        "retry",
        "max_report_bytes",
        "user_agent",
    )
    __slots__ = _FIELDS
    connect_timeout: float
    read_timeout: float
    page_size: int
    max_pages: int
    max_list_items: int
    max_response_bytes: int
    requests_per_second: float | None
    retry: RetrySettings
    max_report_bytes: int
    user_agent: str
    # What `user_agent` is when none is given.
    user_agent_default: ClassVar[str] = USER_AGENT

    def __init__(
        self,
        connect_timeout: float = 10.0,
        read_timeout: float = 30.0,
        page_size: int | None = None,
        max_pages: int = 10_000,
        max_list_items: int = MAX_LIST_ITEMS,
        max_response_bytes: int = 64 * 1024 * 1024,
        requests_per_second: float | None = 50.0,
        retry: RetrySettings = _RETRY_FROM_ENVIRON,
        max_report_bytes: int = 16 * 1024 * 1024,
        user_agent: str = USER_AGENT,
    ) -> None:
        if retry is _RETRY_FROM_ENVIRON:
            retry = RetrySettings.from_environ()
        self._init(
            connect_timeout,
            read_timeout,
            page_size_from_environ() if page_size is None else page_size,
            max_pages,
            max_list_items,
            max_response_bytes,
            requests_per_second,
            retry,
            max_report_bytes,
            user_agent,
        )


class PageBudget:
    """One retry deadline and one item cap shared by every page of several lists (a
    trigger's poll reads two or three): whatever the lists, they are whole by the deadline
    and hold at most `max_list_items` items together, or the read is an `upstream_error`."""

    __slots__ = ("deadline", "items")

    def __init__(self, settings: ClientSettings) -> None:
        self.deadline = time.monotonic() + settings.retry.deadline
        self.items = 0

    def expired(self) -> bool:
        return time.monotonic() >= self.deadline


class RequestLimiter(Protocol):
    """A limit shared beyond this process (e.g. one per key across many machines), in
    place of the in-process pacer: the client calls `acquire` before every attempt,
    retries included, and what it returns once that attempt is over: its answer arrived,
    or it failed."""

    def acquire(self, deadline: float) -> Callable[[], None]:
        """Return once one request may be sent, with what to call when it is over (which
        must not raise); raise an `ActionError` (`rate_limited` when no request may be
        sent before `deadline`, a `time.monotonic()` value) otherwise."""
        ...


class DryRun(Exception):
    """Raised instead of sending when the client only shows what it would send."""

    def __init__(self, request: dict[str, Any]) -> None:
        super().__init__("dry run")
        self.request = request


class Answer:
    """Clockify's parsed answer to one request (a plain class: a dataclass costs about half
    a millisecond of every start to build, and more to make per request)."""

    __slots__ = ("attempts", "body", "headers")

    def __init__(self, body: Any, headers: httpx.Headers, attempts: int) -> None:
        self.body = body
        self.headers = headers
        self.attempts = attempts


class _Line:
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
        limiter: RequestLimiter | None = None,
        reports_base_url: str | None = None,
    ) -> None:
        if not _HEADER_SAFE.fullmatch(api_key):
            raise ActionError(
                ErrorType.CONFIG,
                "The API key contains spaces, line breaks or non-ASCII characters, which "
                "cannot be sent in a header: check how it was copied.",
            )
        self.settings = settings or ClientSettings()
        self.base_url = base_url.rstrip("/")
        # Reports live on a host of their own (docs/clockify-api.md §24.1), which whoever
        # knows the regions passes in (`runtime.connection`); else `/report/v1` on
        # base_url's own scheme and host, the form of Clockify's regional hosts.
        parts = urlsplit(self.base_url)
        self.reports_base_url = (
            reports_base_url or f"{parts.scheme}://{parts.netloc}/report/v1"
        ).rstrip("/")
        self.clock = clock
        self.dry_run = dry_run
        # Writes (POST, PUT, PATCH, DELETE) handed to the network so far, retries included:
        # a failure after this grew may have left a change behind in Clockify.
        self.writes_sent = 0
        self._sleep = sleep
        self._limiter = limiter
        # A shared limiter counts this process's requests too: it replaces the pacer.
        self._pacer = (
            Pacer.for_key(api_key, self.settings.requests_per_second)
            if self.settings.requests_per_second and limiter is None
            else None
        )
        self._api_key = api_key
        self._http = self._line(self.base_url, transport, reports=False)
        # The `Date` header of the last answer received: Clockify's clock, not this one's.
        self._server_date: str | None = None
        # A transport handed in serves every host; a network one is made per host, as the
        # proxy rule depends on the host. The reports host's is made when first used.
        self._reports_http: _Line | None = self._http if transport is not None else None

    def _line(self, root: str, transport: httpx.BaseTransport | None, *, reports: bool) -> _Line:
        if transport is None:
            from clockify_actions.clockify.transport import network_transport

            # A request not sent again after a lost answer gets a connection of its own.
            transport = network_transport(
                root,
                is_loopback=is_loopback_host(urlsplit(root).hostname or ""),
                fresh_for=lambda method: not is_retried(method, Outcome.BROKEN, reports=reports),
            )
        http = httpx.Client(
            headers={
                "X-Api-Key": self._api_key,
                "User-Agent": self.settings.user_agent,
                "Accept": "application/json",
            },
            timeout=httpx.Timeout(
                self.settings.read_timeout, connect=self.settings.connect_timeout
            ),
            transport=transport,
            follow_redirects=False,
            trust_env=False,
        )
        return _Line(http, transport)

    def _http_for(self, reports: bool) -> _Line:
        if not reports:
            return self._http
        if self._reports_http is None:
            self._reports_http = self._line(self.reports_base_url, None, reports=True)
        return self._reports_http

    def close(self) -> None:
        self._http.http.close()
        if self._reports_http is not None and self._reports_http is not self._http:
            self._reports_http.http.close()

    def __enter__(self) -> ClockifyClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def now(self) -> datetime:
        return self.clock()

    def server_time(self) -> datetime | None:
        """Clockify's clock when it sent its last answer (that answer's `Date` header, to
        the second); None when that answer had no readable one."""
        if not self._server_date:
            return None
        try:
            moment = email.utils.parsedate_to_datetime(self._server_date)
        except (TypeError, ValueError, IndexError):
            return None
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

    @staticmethod
    def path(*segments: str) -> str:
        """A URL path from segments, each escaped so that no value can change the route."""
        return "/" + "/".join(quote(segment, safe="") for segment in segments)

    def get(self, path: str, model: type[Model], params: Mapping[str, Any] | None = None) -> Model:
        return self._parse("GET", path, model, self._call("GET", path, params=params))

    def post(self, path: str, body: Mapping[str, Any], model: type[Model]) -> Model:
        return self._parse("POST", path, model, self._call("POST", path, body=body))

    def patch(self, path: str, body: Mapping[str, Any], model: type[Model]) -> Model:
        return self._parse("PATCH", path, model, self._call("PATCH", path, body=body))

    def put(self, path: str, body: Mapping[str, Any], model: type[Model]) -> Model:
        return self._parse("PUT", path, model, self._call("PUT", path, body=body))

    def delete(self, path: str) -> None:
        self._call("DELETE", path)

    def report(self, path: str, body: Mapping[str, Any], model: type[Model]) -> Model:
        """A report from the reports host: a POST that reads, retried as a read is."""
        answer = self._call("POST", path, body=body, reports=True)
        return self._parse("POST", path, model, answer, reports=True)

    def report_pages(
        self,
        path: str,
        body: Mapping[str, Any],
        page_filter: str,
        model: type[Model],
        size_of: Callable[[Model], int],
    ) -> Iterator[Model]:
        """Every page of a paged report, at Clockify's largest page size (1000), each page
        asked for when reached: `body[page_filter]` gets `page` and `pageSize`, and
        `size_of` says how many items a page holds. Stops on `Last-Page: true`, or without
        that header on a short page; the caps and the deadline of `iter_all` apply, so a
        report is never returned cut."""

        def fetch(number: int, deadline: float) -> tuple[Model, str]:
            paging = {**body.get(page_filter, {}), "page": number, "pageSize": REPORT_PAGE_SIZE}
            answer = self._call(
                "POST", path, body={**body, page_filter: paging}, deadline=deadline, reports=True
            )
            return self._parse("POST", path, model, answer, reports=True), _last_page(answer)

        yield from self._pages("POST", path, "report", REPORT_PAGE_SIZE, fetch, size_of)

    def get_list(
        self, path: str, model: type[Model], params: Mapping[str, Any] | None = None
    ) -> list[Model]:
        """An unpaginated list, such as `GET /workspaces`."""
        return self._parse_list("GET", path, model, self._call("GET", path, params=params))

    def get_all(
        self, path: str, model: type[Model], params: Mapping[str, Any] | None = None
    ) -> list[Model]:
        """Every item of a paginated list, at the largest page size Clockify allows.

        Stops on `Last-Page: true`; without that header, on a page shorter than asked.
        Never returns a cut list: a list that passes `max_list_items` items or
        `max_pages` pages, or is not whole by the retry deadline, is an `upstream_error`.
        """
        return list(self.iter_all(path, model, params))

    def iter_all(
        self,
        path: str,
        model: type[Model],
        params: Mapping[str, Any] | None = None,
        *,
        page_size: int | None = None,
        size_param: str = "page-size",
        first_page: int = 1,
        budget: PageBudget | None = None,
    ) -> Iterator[Model]:
        """The items of `get_all` as they arrive, so that a caller who needs only the
        first ones can stop early; the next page is asked for only when reached.

        A route that pages otherwise says how: its page size and the parameter that
        carries it, and the number of its first page. Lists read under one `budget` share
        its deadline and item cap."""
        size = page_size or self.settings.page_size

        def fetch(number: int, deadline: float) -> tuple[list[Model], str]:
            query = {**(params or {}), "page": number + first_page - 1, size_param: size}
            answer = self._call("GET", path, params=query, deadline=deadline)
            # Only the parsed page is kept while the caller reads it or the next one comes.
            return self._parse_list("GET", path, model, answer), _last_page(answer)

        for page in self._pages("GET", path, "list", size, fetch, len, budget):
            yield from page

    def _pages(
        self,
        method: str,
        path: str,
        what: str,
        page_size: int,
        fetch: Callable[[int, float], tuple[Page, str]],
        size_of: Callable[[Page], int],
        budget: PageBudget | None = None,
    ) -> Iterator[Page]:
        """Each page `fetch(number, deadline)` returns, with its `Last-Page` header, until
        the last: `Last-Page: true`, or without that header a page shorter than
        `page_size`, or an empty one. Never a cut list: passing `max_list_items` items,
        `max_pages` pages or the retry deadline (over all pages, and over every list read
        under the same `budget`) is an `upstream_error`."""
        settings = self.settings
        budget = budget or PageBudget(settings)
        for number in range(1, settings.max_pages + 1):
            if budget.expired():
                raise _endless(
                    path,
                    f"the {what} was not whole after {number - 1} pages ({budget.items} items) "
                    f"when the {settings.retry.deadline:g}-second deadline "
                    "(CLOCKIFY_RETRY_DEADLINE) passed",
                    method,
                )
            page, last_page = fetch(number, budget.deadline)
            yield page
            size = size_of(page)
            budget.items += size
            if budget.items > settings.max_list_items:
                raise _endless(
                    path,
                    f"the {what} passed the pack's cap of {settings.max_list_items:,} items",
                    method,
                )
            if last_page == "true" or (last_page != "false" and size < page_size) or not size:
                return
        raise _endless(path, f"the {what} passed {settings.max_pages:,} pages", method)

    def _parse(
        self, method: str, path: str, model: type[Model], answer: Answer, reports: bool = False
    ) -> Model:
        spec: Spec | None = getattr(model, "_wire", None)
        if spec is not None:
            parsed = parse_fast(spec, answer.body)
            if parsed is not None:
                return parsed  # type: ignore[no-any-return]
        # Not for the table (or not a light twin): pydantic judges, coerces, explains.
        from pydantic import ValidationError

        pydantic_model = cast("type[BaseModel]", model) if spec is None else spec.model()
        try:
            parsed = pydantic_model.model_validate(answer.body)
        except ValidationError as error:
            raise _contract_error(method, path, error, answer.attempts, reports) from None
        return cast(Model, parsed if spec is None else from_pydantic(spec, parsed))

    def _parse_list(
        self, method: str, path: str, model: type[Model], answer: Answer
    ) -> list[Model]:
        spec: Spec | None = getattr(model, "_wire", None)
        if spec is not None:
            parsed = parse_list_fast(spec, answer.body)
            if parsed is not None:
                return parsed
        from pydantic import ValidationError

        pydantic_model = cast("type[BaseModel]", model) if spec is None else spec.model()
        try:
            items = _list_adapter(pydantic_model).validate_python(answer.body)
        except ValidationError as error:
            raise _contract_error(method, path, error, answer.attempts) from None
        return items if spec is None else [from_pydantic(spec, item) for item in items]

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        deadline: float | None = None,
        reports: bool = False,
    ) -> Answer:
        """Clockify's parsed answer, after the retries the policy allows, all within
        `deadline` (a `time.monotonic()` value; by default the retry deadline from now).
        `reports`: the request goes to the reports host."""
        http = self._http_for(reports)
        root = self.reports_base_url if reports else self.base_url
        try:
            url = _parsed(_url(root + path, params))
            request = httpx.Request(method, url, headers=http.headers, json=body)
        except httpx.InvalidURL as error:  # e.g. thousands of ids in the query
            raise _unsendable(method, path, error, reports) from None
        if self.dry_run:
            raise DryRun(_describe(request, body))
        retry = self.settings.retry
        if deadline is None:
            deadline = time.monotonic() + retry.deadline
        attempt = 0
        applied_maybe: Outcome | None = None  # an earlier attempt that may have been applied
        while True:
            attempt += 1
            if self._pacer is not None:
                self._pacer.wait()
            over = None if self._limiter is None else self._acquire(method, attempt, deadline)
            # No attempt may outlive the deadline, however long the read timeout is: each
            # timeout is cut to what is left, and a network transport also cuts every
            # read and write (see clockify.wall), so a trickling answer cannot outlast it.
            remaining = max(0.001, deadline - time.monotonic())
            read = min(self.settings.read_timeout, remaining)
            connect = min(self.settings.connect_timeout, remaining)
            # What `httpx.Timeout(read, connect=connect, write=read, pool=connect).as_dict()`
            # gives, without building the Timeout.
            request.extensions["timeout"] = {
                "connect": connect,
                "read": read,
                "write": read,
                "pool": connect,
            }
            try:
                with deadline_of(deadline):
                    answer = self._attempt(http, request, method, path, attempt, reports)
            except ActionError as error:
                gone = GONE_AFTER_LOST_ANSWER.get(method_kind(method, reports=reports))
                if applied_maybe is not None and error.type is gone:
                    raise _gone_after_lost_answer(error, method, applied_maybe, attempt) from None
                raise
            finally:
                if over is not None:
                    over()
            if isinstance(answer, Answer):
                self._server_date = answer.headers.get("date")
                return answer
            outcome, failure, retry_after = answer
            if outcome in UNKNOWN_WRITE_OUTCOMES:
                applied_maybe = outcome
            if attempt < retry.max_attempts and is_retried(method, outcome, reports=reports):
                wait = backoff_delay(attempt, retry_after, retry, random.Random())
                if time.monotonic() + wait < deadline:
                    log.info("retrying %s %s in %.2f s after %s", method, path, wait, outcome.value)
                    self._sleep(wait)
                    continue
            raise _final_error(method, path, outcome, failure, attempt, reports)

    def _acquire(self, method: str, attempt: int, deadline: float) -> Callable[[], None]:
        # Only attempts that provably did not reach Clockify are followed by another, so a
        # request refused here was not applied.
        assert self._limiter is not None
        try:
            return self._limiter.acquire(deadline)
        except ActionError as error:
            write = method_kind(method) == "write"
            outcome = WriteOutcome.NOT_APPLIED if write else None
            raise error.about_request(attempt - 1, outcome) from None

    def _attempt(
        self,
        http: _Line,
        request: httpx.Request,
        method: str,
        path: str,
        attempt: int,
        reports: bool,
    ) -> Answer | tuple[Outcome, Exception, float | None]:
        """One try: Clockify's parsed answer, or what became of the request and why."""
        started = time.monotonic()
        write = method_kind(method, reports=reports) != "read"
        if write:
            self.writes_sent += 1
        try:
            response = http.send(request)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
            return self._failed(request, attempt, Outcome.NOT_SENT, error)
        except httpx.TimeoutException as error:
            return self._failed(request, attempt, Outcome.TIMEOUT, error)
        except httpx.TransportError as error:
            return self._failed(request, attempt, Outcome.BROKEN, error)
        status = response.status_code
        try:
            content = self._read(response, method, path, reports)
        except httpx.TimeoutException as error:
            return self._failed(request, attempt, Outcome.TIMEOUT, error)
        except httpx.TransportError as error:
            return self._failed(request, attempt, Outcome.BROKEN, error)
        except ActionError as error:
            outcome = write_outcome_for_status(status) if write else None
            raise _settled(error, method, attempt, outcome) from None
        elapsed = (time.monotonic() - started) * 1000
        log.info(
            "%s %s -> %s in %.0f ms (attempt %d)", method, request.url, status, elapsed, attempt
        )
        if status == 204:
            return Answer(None, response.headers, attempt)
        if response.is_success:
            if method == "DELETE" and not content.strip():
                return Answer(None, response.headers, attempt)  # 204 No Content (§13.3)
            try:
                return Answer(json.loads(content), response.headers, attempt)
            except (ValueError, RecursionError):  # not JSON, or nested too deep to parse
                if write:
                    # Clockify said it applied the write: sending it again would repeat it.
                    failure = _unreadable_write(content, method, path, status)
                    raise _settled(failure, method, attempt, WriteOutcome.APPLIED) from None
                # A read's body may have been cut short on the way: worth another try.
                return Outcome.BROKEN, _unreadable(content, method, path), None
        failure = error_for_response(status, content)
        retried = outcome_for_status(status)
        if retried is None:
            outcome = write_outcome_for_status(status) if write else None
            raise _settled(failure, method, attempt, outcome)
        return retried, failure, parse_retry_after(response.headers.get("retry-after"))

    @staticmethod
    def _failed(
        request: httpx.Request, attempt: int, outcome: Outcome, error: Exception
    ) -> tuple[Outcome, Exception, None]:
        log.info(
            "%s %s -> %s (attempt %d)", request.method, request.url, type(error).__name__, attempt
        )
        return outcome, error, None

    def _read(self, response: httpx.Response, method: str, path: str, reports: bool) -> bytes:
        """The answer's body, read as it streams in: stopped at the size cap (a report's
        is smaller), and at the attempt's deadline whatever the transport."""
        settings = self.settings
        limit = (
            min(settings.max_response_bytes, settings.max_report_bytes)
            if reports
            else (settings.max_response_bytes)
        )
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
                if chunks:  # a transport that does not cut its reads at the deadline
                    left(None, httpx.ReadTimeout)
                chunks.append(chunk)
            return b"".join(chunks)
        finally:
            response.close()


@cache
def _list_adapter(model: type[BaseModel]) -> TypeAdapter[list[Any]]:
    # Building an adapter compiles a validator: far dearer than validating a page with it.
    from pydantic import TypeAdapter

    return TypeAdapter(list[model])  # type: ignore[valid-type]


def _url(url: str, params: Mapping[str, Any] | None) -> str | httpx.URL:
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


def _parsed(url: str | httpx.URL) -> httpx.URL:
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


def _describe(request: httpx.Request, body: Mapping[str, Any] | None) -> dict[str, Any]:
    headers = {
        name: ("[redacted]" if name.lower() == "x-api-key" else value)
        for name, value in request.headers.items()
    }
    return {"method": request.method, "url": str(request.url), "headers": headers, "json": body}


def _unsendable(method: str, path: str, error: httpx.InvalidURL, reports: bool) -> ActionError:
    """The input made a request no HTTP client sends; nothing was sent."""
    failure = ActionError(
        ErrorType.VALIDATION,
        f"The {method} {path} request cannot be sent: {error}. Ask for fewer values at once "
        "(fewer ids, a shorter text).",
    )
    write = method_kind(method, reports=reports) != "read"
    return failure.about_request(0, WriteOutcome.NOT_APPLIED if write else None)


def _unreadable(content: bytes, method: str, path: str) -> ActionError:
    return ActionError(
        ErrorType.UPSTREAM,
        f"Clockify answered {method} {path} with a body that is not valid JSON "
        f"({len(content)} bytes).",
    )


def _unreadable_write(content: bytes, method: str, path: str, status: int) -> ActionError:
    return ActionError(
        ErrorType.CONTRACT,
        f"Clockify answered {method} {path} with HTTP {status} but a body that is not valid "
        f"JSON ({len(content)} bytes), so the result cannot be shown.",
    )


def _last_page(answer: Answer) -> str:
    """Clockify's `Last-Page` header, lower case; empty when it is absent."""
    return str(answer.headers.get("last-page", "")).strip().lower()


def _endless(path: str, why: str, method: str = "GET") -> ActionError:
    return ActionError(
        ErrorType.UPSTREAM,
        f"Clockify kept sending pages of {method} {path}: stopped because {why}, instead of "
        "returning a partial list.",
        retryable=False,
    )


def _too_large(method: str, path: str, limit: int) -> ActionError:
    return ActionError(
        ErrorType.UPSTREAM,
        f"Clockify's answer to {method} {path} is larger than the {limit}-byte limit; "
        "it was not read.",
        retryable=False,
    )


def _contract_error(
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
    return _settled(failure, method, attempts, outcome)


def _gone_after_lost_answer(
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


def _final_error(
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
    return _settled(error, method, attempts, write_outcome(outcome) if write else None)


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


def _settled(
    error: ActionError, method: str, attempts: int, outcome: WriteOutcome | None
) -> ActionError:
    """The error with its request record; a write that may have been applied also gets
    advice against sending it again blindly, and is not retryable."""
    advice = None if outcome is None else _WRITE_ADVICE.get(outcome)
    if advice is not None:
        error = error.reworded(f"{error.message} {advice.format(method=method)}")
        error.retryable = False
    return error.about_request(attempts, outcome)
