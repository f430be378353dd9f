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

import json
import logging
import random
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote, urlsplit

import httpx

from clockify_actions.clockify.errors import error_for_response
from clockify_actions.clockify.forms import Form
from clockify_actions.clockify.light import WireObject
from clockify_actions.clockify.parsing import parsed, parsed_list
from clockify_actions.clockify.retry import (
    GONE_AFTER_LOST_ANSWER,
    UNKNOWN_WRITE_OUTCOMES,
    Outcome,
    Pacer,
    backoff_delay,
    is_retried,
    method_kind,
    outcome_for_status,
    parse_retry_after,
    write_outcome_for_status,
)
from clockify_actions.clockify.sending import (
    Answer,
    Line,
    date_header,
    described,
    endless,
    failed,
    final_error,
    gone_after_lost_answer,
    last_page,
    parsed_url,
    read_body,
    request_url,
    settled,
    unreadable,
    unreadable_write,
    unsendable,
)
from clockify_actions.clockify.settings import (
    REPORT_PAGE_SIZE,
    ClientSettings,
    DryRun,
    PageBudget,
    RequestLimiter,
)
from clockify_actions.clockify.verbs import Verbs
from clockify_actions.clockify.wall import deadline_of
from clockify_actions.errors import ActionError, ErrorType, WriteOutcome
from clockify_actions.loopback import is_loopback_host
from clockify_actions.timeutil import utc_now

if TYPE_CHECKING:
    from pydantic import BaseModel

log = logging.getLogger("clockify_actions.http")

# What an HTTP header value can carry; Clockify's keys are printable ASCII.
_HEADER_SAFE = re.compile(r"[!-~]+")

# A pydantic model (a resource's `models`, or a handler's own), or its light twin of the
# resource's `wire`, which parses valid answers without importing pydantic.
Page = TypeVar("Page")
Model = TypeVar("Model", bound="BaseModel | WireObject")


class ClockifyClient(Verbs):
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
        self._reports_http: Line | None = self._http if transport is not None else None

    def _line(self, root: str, transport: httpx.BaseTransport | None, *, reports: bool) -> Line:
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
        return Line(http, transport)

    def _http_for(self, reports: bool) -> Line:
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
        """Clockify's clock when it sent its last answer (see `sending.date_header`)."""
        return date_header(self._server_date)

    @staticmethod
    def path(*segments: str) -> str:
        """A URL path from segments, each escaped so that no value can change the route."""
        return "/" + "/".join(quote(segment, safe="") for segment in segments)

    def get_pages(
        self,
        path: str,
        model: type[Model],
        size_of: Callable[[Model], int],
        params: Mapping[str, Any] | None = None,
        page_size: int | None = None,
    ) -> Iterator[Model]:
        """Each page of a list Clockify wraps in an object (`{count, categories}`), parsed
        whole, as `iter_all` reads a bare one; `size_of` says how many items a page holds."""
        size = page_size or self.settings.page_size

        def fetch(number: int, deadline: float) -> tuple[Model, str]:
            query = {**(params or {}), "page": number, "page-size": size}
            answer = self._call("GET", path, params=query, deadline=deadline)
            return parsed("GET", path, model, answer), last_page(answer)

        yield from self._pages("GET", path, "list", size, fetch, size_of)

    def report_pages(
        self,
        path: str,
        body: Mapping[str, Any],
        page_filter: str | None,
        model: type[Model],
        size_of: Callable[[Model], int],
    ) -> Iterator[Model]:
        """Every page of a paged report, at Clockify's largest page size (1000), each page
        asked for when reached: `body[page_filter]` (the body itself when None) gets
        `page` and `pageSize`, and `size_of` says how many items a page holds. Stops on `Last-Page: true`, or without
        that header on a short page; the caps and the deadline of `iter_all` apply, so a
        report is never returned cut."""

        def fetch(number: int, deadline: float) -> tuple[Model, str]:
            paging = {"page": number, "pageSize": REPORT_PAGE_SIZE}
            sent = {**body, **paging}
            if page_filter is not None:
                sent = {**body, page_filter: {**body.get(page_filter, {}), **paging}}
            answer = self._call("POST", path, body=sent, deadline=deadline, reports=True)
            return parsed("POST", path, model, answer, reports=True), last_page(answer)

        yield from self._pages("POST", path, "report", REPORT_PAGE_SIZE, fetch, size_of)

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
            return parsed_list("GET", path, model, answer), last_page(answer)

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
                raise endless(
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
                raise endless(
                    path,
                    f"the {what} passed the pack's cap of {settings.max_list_items:,} items",
                    method,
                )
            if last_page == "true" or (last_page != "false" and size < page_size) or not size:
                return
        raise endless(path, f"the {what} passed {settings.max_pages:,} pages", method)

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | Sequence[Mapping[str, Any]] | Form | None = None,
        deadline: float | None = None,
        reports: bool = False,
        post_reads: bool | None = None,
        raw: bool = False,
    ) -> Answer:
        """Clockify's parsed answer, after the retries the policy allows, all within
        `deadline` (a `time.monotonic()` value; by default the retry deadline from now).
        `reports`: the request goes to the reports host; `post_reads`: a POST there
        changes nothing (by default, a POST to the reports host is a report); `raw`: any
        media type is accepted and the answer's body is its bytes, unparsed."""
        reads = reports if post_reads is None else post_reads
        http = self._http_for(reports)
        root = self.reports_base_url if reports else self.base_url
        try:
            url = parsed_url(request_url(root + path, params))
            if isinstance(body, Form):
                request = body.request(method, url, http.headers)
            else:
                headers = {**http.headers, "accept": "*/*"} if raw else http.headers
                request = httpx.Request(method, url, headers=headers, json=body)
        except httpx.InvalidURL as error:  # e.g. thousands of ids in the query
            raise unsendable(method, path, error, reads) from None
        if self.dry_run:
            raise DryRun(described(request, body))
        retry = self.settings.retry
        if deadline is None:
            deadline = time.monotonic() + retry.deadline
        attempt = 0
        applied_maybe: Outcome | None = None  # an earlier attempt that may have been applied
        while True:
            attempt += 1
            if self._pacer is not None:
                self._pacer.wait()
            over = (
                None if self._limiter is None else self._acquire(method, attempt, deadline, reads)
            )
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
                    answer = self._attempt(
                        http, request, method, path, attempt, reports, reads, raw
                    )
            except ActionError as error:
                gone = GONE_AFTER_LOST_ANSWER.get(method_kind(method, reports=reads))
                if applied_maybe is not None and error.type is gone:
                    raise gone_after_lost_answer(error, method, applied_maybe, attempt) from None
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
            if attempt < retry.max_attempts and is_retried(method, outcome, reports=reads):
                wait = backoff_delay(attempt, retry_after, retry, random.Random())
                if time.monotonic() + wait < deadline:
                    log.info("retrying %s %s in %.2f s after %s", method, path, wait, outcome.value)
                    self._sleep(wait)
                    continue
            raise final_error(method, path, outcome, failure, attempt, reads)

    def _acquire(
        self, method: str, attempt: int, deadline: float, reads: bool
    ) -> Callable[[], None]:
        # Only attempts that provably did not reach Clockify are followed by another, so a
        # request refused here was not applied.
        assert self._limiter is not None
        try:
            return self._limiter.acquire(deadline)
        except ActionError as error:
            write = method_kind(method, reports=reads) == "write"
            outcome = WriteOutcome.NOT_APPLIED if write else None
            raise error.about_request(attempt - 1, outcome) from None

    def _attempt(
        self,
        http: Line,
        request: httpx.Request,
        method: str,
        path: str,
        attempt: int,
        reports: bool,
        reads: bool,
        raw: bool = False,
    ) -> Answer | tuple[Outcome, Exception, float | None]:
        """One try: Clockify's parsed answer, or what became of the request and why."""
        started = time.monotonic()
        write = method_kind(method, reports=reads) != "read"
        if write:
            self.writes_sent += 1
        try:
            response = http.send(request)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
            return failed(request, attempt, Outcome.NOT_SENT, error)
        except httpx.TimeoutException as error:
            return failed(request, attempt, Outcome.TIMEOUT, error)
        except httpx.TransportError as error:
            return failed(request, attempt, Outcome.BROKEN, error)
        status = response.status_code
        try:
            content = read_body(response, self.settings, method, path, reports)
        except httpx.TimeoutException as error:
            return failed(request, attempt, Outcome.TIMEOUT, error)
        except httpx.TransportError as error:
            return failed(request, attempt, Outcome.BROKEN, error)
        except ActionError as error:
            outcome = write_outcome_for_status(status) if write else None
            raise settled(error, method, attempt, outcome) from None
        elapsed = (time.monotonic() - started) * 1000
        log.info(
            "%s %s -> %s in %.0f ms (attempt %d)", method, request.url, status, elapsed, attempt
        )
        if status == 204:
            return Answer(None, response.headers, attempt)
        if response.is_success:
            if raw:
                return Answer(content, response.headers, attempt)
            if method == "DELETE" and not content.strip():
                return Answer(None, response.headers, attempt)  # 204 No Content (§13.3)
            try:
                return Answer(json.loads(content), response.headers, attempt)
            except (ValueError, RecursionError):  # not JSON, or nested too deep to parse
                if write:
                    # Clockify said it applied the write: sending it again would repeat it.
                    failure = unreadable_write(content, method, path, status)
                    raise settled(failure, method, attempt, WriteOutcome.APPLIED) from None
                # A read's body may have been cut short on the way: worth another try.
                return Outcome.BROKEN, unreadable(content, method, path), None
        failure = error_for_response(status, content)
        retried = outcome_for_status(status)
        if retried is None:
            outcome = write_outcome_for_status(status) if write else None
            raise settled(failure, method, attempt, outcome)
        return retried, failure, parse_retry_after(response.headers.get("retry-after"))
