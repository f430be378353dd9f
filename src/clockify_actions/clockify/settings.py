"""What a Clockify client is built with: its timeouts, page sizes and caps, its user
agent, a shared request limit, and the budget several lists share."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, ClassVar, Protocol

from clockify_actions.clockify.retry import FrozenSettings, RetrySettings

# Sent when the settings name no user agent: whoever builds the client names itself there.
USER_AGENT = "clockify-actions"

# The most items one paginated list may hold: a workspace of more projects than this is
# not one the pack serves, and a server that sends full pages forever is stopped here.
MAX_LIST_ITEMS = 100_000
# The largest page of a detailed report Clockify serves (docs/clockify-api.md §24.2).
REPORT_PAGE_SIZE = 1000


# The items asked for per list page: Clockify's largest page on most routes (§26); a route
# with a smaller ceiling asks for that.
PAGE_SIZE = 5000


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
        page_size: int = PAGE_SIZE,
        max_pages: int = 10_000,
        max_list_items: int = MAX_LIST_ITEMS,
        max_response_bytes: int = 64 * 1024 * 1024,
        requests_per_second: float | None = 50.0,
        retry: RetrySettings = RetrySettings(),  # noqa: B008 (frozen)
        max_report_bytes: int = 16 * 1024 * 1024,
        user_agent: str = USER_AGENT,
    ) -> None:
        self._init(
            connect_timeout,
            read_timeout,
            page_size,
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
