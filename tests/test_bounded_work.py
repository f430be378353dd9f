"""Whatever the server does, a run ends: a list is capped in items and time, and the
deadline is a wall that a trickling answer cannot push back."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from clockify_actions import Pack
from clockify_actions.clockify import ClientSettings, ClockifyClient, RetrySettings
from clockify_actions.clockify.settings import MAX_LIST_ITEMS
from clockify_actions.errors import ActionError
from clockify_actions.resources.projects.models import Project
from clockify_actions.resources.workspaces.models import Workspace
from fake_clockify import WS
from loopback import serving, trickle


def endless_pages(
    per_page: int | None, last_page: str | None
) -> tuple[httpx.MockTransport, list[int]]:
    """A server that never ends a list: `per_page` items a page (None: as many as asked),
    with `Last-Page: last_page` (None: no such header)."""
    pages: list[int] = []

    def handle(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        pages.append(number)
        count = int(request.url.params["page-size"]) if per_page is None else per_page
        body = [{"id": f"{number}-{i}", "name": "Project"} for i in range(count)]
        headers = {} if last_page is None else {"Last-Page": last_page}
        return httpx.Response(200, json=body, headers=headers)

    return httpx.MockTransport(handle), pages


def client_for(
    transport: httpx.BaseTransport | None, base_url: str, **settings: Any
) -> ClockifyClient:
    retry = settings.pop("retry", RetrySettings(base_delay=0.0001, max_delay=0.0002))
    return ClockifyClient(
        "key-0123456789",
        base_url,
        settings=ClientSettings(requests_per_second=None, retry=retry, **settings),
        transport=transport,
    )


def test_the_item_cap_is_a_documented_100000() -> None:
    assert MAX_LIST_ITEMS == 100_000
    assert ClientSettings().max_list_items == MAX_LIST_ITEMS


@pytest.mark.parametrize(
    ("per_page", "last_page"),
    [(None, None), (None, "false"), (3, "false")],
    ids=["full-pages-no-header", "full-pages-last-page-false", "short-pages-last-page-false"],
)
def test_a_list_that_never_ends_stops_at_the_item_cap(
    per_page: int | None, last_page: str | None
) -> None:
    transport, pages = endless_pages(per_page, last_page)
    client = client_for(
        transport, "https://api.clockify.me/api/v1", page_size=10, max_list_items=95
    )
    with client, pytest.raises(ActionError) as caught:
        client.get_all(f"/workspaces/{WS}/projects", Project)
    error = caught.value
    assert error.type.value == "upstream_error"
    assert "cap of 95 items" in error.message
    assert "instead of returning a partial list" in error.message
    assert len(pages) == (95 // (per_page or 10)) + 1, "one page past the cap, no more"


def test_a_list_that_never_ends_stops_at_the_deadline() -> None:
    transport, pages = endless_pages(1, "false")
    client = client_for(
        transport,
        "https://api.clockify.me/api/v1",
        page_size=10,
        max_list_items=10**9,
        max_pages=10**9,
        retry=RetrySettings(deadline=0.3),
    )
    started = time.monotonic()
    with client, pytest.raises(ActionError) as caught:
        client.get_all(f"/workspaces/{WS}/projects", Project)
    assert time.monotonic() - started < 2.0
    assert caught.value.type.value == "upstream_error"
    assert "CLOCKIFY_RETRY_DEADLINE" in caught.value.message
    assert len(pages) > 1


@pytest.fixture
def stop() -> Iterator[threading.Event]:
    """Tells trickling servers to give up once the test is over."""
    event = threading.Event()
    yield event
    event.set()


DEADLINE = 0.6
# Fast enough per byte that no read ever times out; 3 s in all, far past the deadline.
BODY = b" " * 58 + b"[]"
WHOLE_ANSWER = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
    + f"Content-Length: {len(BODY)}\r\n\r\n".encode()
    + BODY
)


def body_trickle(stop: threading.Event) -> Any:
    head, body = WHOLE_ANSWER.split(b"\r\n\r\n", 1)

    def behaviour(connection: Any, request: bytes) -> None:
        connection.sendall(head + b"\r\n\r\n")
        trickle(body, 0.05, stop)(connection, request)

    return behaviour


@pytest.mark.parametrize("phase", ["body", "status-and-headers"])
def test_a_trickling_answer_cannot_outlast_the_deadline(stop: threading.Event, phase: str) -> None:
    behaviour = body_trickle(stop) if phase == "body" else trickle(WHOLE_ANSWER, 0.02, stop)
    with serving(behaviour) as (url, heads):
        client = client_for(
            None, url + "/api/v1", read_timeout=30.0, retry=RetrySettings(deadline=DEADLINE)
        )
        started = time.monotonic()
        with client, pytest.raises(ActionError) as caught:
            client.get_list("/workspaces", Workspace)
        elapsed = time.monotonic() - started
    assert elapsed < DEADLINE + 0.5, f"the run went on {elapsed:.2f} s past a {DEADLINE} s deadline"
    assert caught.value.type.value == "network_error"
    assert len(heads) == 1, "no attempt after the deadline"


@pytest.mark.parametrize("phase", ["body", "status-and-headers"])
def test_a_write_that_runs_into_the_deadline_has_an_unknown_outcome(
    pack: Pack, stop: threading.Event, phase: str
) -> None:
    behaviour = body_trickle(stop) if phase == "body" else trickle(WHOLE_ANSWER, 0.02, stop)
    with serving(behaviour) as (url, heads):
        started = time.monotonic()
        result = pack.run(
            "create_project",
            {"workspace_id": WS, "name": "Trickled"},
            api_key="key-0123456789",
            base_url=url + "/api/v1",
            settings=ClientSettings(
                requests_per_second=None, retry=RetrySettings(deadline=DEADLINE)
            ),
        )
        elapsed = time.monotonic() - started
    assert elapsed < DEADLINE + 0.5
    error = result["error"]
    assert error["type"] == "network_error"
    assert error["details"] == [{"attempts": 1, "outcome": "unknown"}]
    assert "check Clockify" in error["message"]
    assert len(heads) == 1, "the write was sent once"
