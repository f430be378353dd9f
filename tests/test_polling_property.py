"""A property of the change-tracking triggers: against a Clockify that misbehaves at random
(pages forever, answers late, drops the connection mid-body, leaves out its Date header,
records changes late) and a poller whose clock is up to an hour off Clockify's, a runner
that keeps each state it is given loses nothing made after the first poll, delivers
nothing twice and nothing that was already there at the first poll, never sees its state
move past an event it was not given, and no poll reads more than the item cap allows.

Time is simulated throughout: Clockify's clock is a number the test moves, and the
client's deadline clock moves only when a late answer says so; nothing sleeps.
"""

from __future__ import annotations

import email.utils
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from unittest import mock

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

import clockify_actions.clockify.client as client_module
import clockify_actions.clockify.settings as settings_module
from clockify_actions.clockify import ClientSettings, RetrySettings
from clockify_actions.resources.common import polling
from clockify_actions.runtime import load_pack
from clockify_actions.timeutil import parse_timestamp, to_wire

START = datetime(2026, 1, 28, 9, 0, tzinfo=UTC)
WORKSPACE = "64b7c0de5eed000000000b01"
PAGE = 5  # items per page, so that a handful of items already spans several pages
CAP = 20  # items one poll may read, all pages together
SETTINGS = ClientSettings(
    requests_per_second=None,
    max_list_items=CAP,
    retry=RetrySettings(max_attempts=2, base_delay=0.0, max_delay=0.0),
)
FAULTS = ("none", "endless", "late", "dropped", "truncated", "no_date")
PACK = load_pack()


class FakeTime:
    """The client's monotonic clock: moved only by late answers."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Tag:
    id: str
    created: datetime
    visible: datetime  # when Clockify's change feed first lists it


@dataclass
class Clockify:
    """Clockify's `/entities/created?type=TAGS`, with the faults of the poll under way."""

    ticks: FakeTime
    now: datetime = START
    tags: list[Tag] = field(default_factory=list)
    fault: str = "none"
    fault_from: int = 0  # the request of the poll the fault starts at
    requests: int = 0
    served: int = 0  # items sent during the poll under way

    def start_poll(self, fault: str, fault_from: int) -> None:
        self.fault, self.fault_from, self.requests, self.served = fault, fault_from, 0, 0

    def handle(self, request: httpx.Request) -> httpx.Response:
        number = self.requests
        self.requests += 1
        fault = self.fault if number >= self.fault_from else "none"
        query = request.url.params
        page, limit = int(query["page"]), int(query["limit"])
        assert query["type"] == "TAGS" and limit == PAGE
        if fault == "dropped":
            raise httpx.RemoteProtocolError("peer closed connection mid-body", request=request)
        if fault == "truncated":
            return httpx.Response(200, content=b'[{"id": "0000', headers=self._date())
        if fault == "late":
            self.ticks.now += 50.0  # past the 45-second deadline of the whole poll
        if fault == "endless":
            items = [self._item(f"{10**9 + number * PAGE + i:024x}", self.now) for i in range(PAGE)]
        else:
            start, end = parse_timestamp(query["start"]), parse_timestamp(query["end"])
            listed = sorted(
                (t for t in self.tags if start <= t.created <= end and t.visible <= self.now),
                key=lambda t: (t.created, t.id),
            )
            items = [
                self._item(t.id, t.created) for t in listed[page * limit : page * limit + limit]
            ]
        self.served += len(items)
        headers = {} if fault == "no_date" else self._date()
        return httpx.Response(200, content=json.dumps(items).encode(), headers=headers)

    def _date(self) -> dict[str, str]:
        return {"Date": email.utils.format_datetime(self.now, usegmt=True)}

    @staticmethod
    def _item(tag_id: str, created: datetime) -> dict[str, Any]:
        stamp = created.isoformat().replace("+00:00", ".000Z")
        return {
            "id": tag_id,
            "name": f"Tag {tag_id[-4:]}",
            "workspaceId": WORKSPACE,
            "archived": False,
            "documentCode": "TAGS",
            "auditMetadata": {"createdAt": stamp, "updatedAt": None},
        }


STEP = st.tuples(
    st.integers(1, 25),  # minutes of Clockify's clock before this poll
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 300)), max_size=7),  # new tags
    st.sampled_from(FAULTS),
    st.integers(0, 2),  # the request the fault starts at
    st.integers(-60, 60),  # minutes the poller's clock is off Clockify's
)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(steps=st.lists(STEP, min_size=1, max_size=8))
def test_polls_against_a_misbehaving_clockify_lose_nothing_and_repeat_nothing(
    steps: list[tuple[int, list[tuple[int, int]], str, int, int]],
) -> None:
    ticks = FakeTime()
    clockify = Clockify(ticks)
    fake_time = SimpleNamespace(monotonic=ticks.monotonic, sleep=ticks.sleep)
    with (
        mock.patch.object(polling, "PAGE_LIMIT", PAGE),
        mock.patch.object(client_module, "time", fake_time),
        mock.patch.object(settings_module, "time", fake_time),
    ):
        state: Any = None
        baseline: datetime | None = None
        delivered: list[str] = []
        clean = (0, [], "none", 0, 0)
        for gap, new, fault, fault_from, skew in [*steps, (11, [], "none", 0, 0), clean]:
            before = clockify.now
            clockify.now += timedelta(minutes=gap)
            seconds = int((clockify.now - before).total_seconds())
            for where, lag in new:
                created = before + timedelta(seconds=1 + where % seconds)
                number = len(clockify.tags)
                clockify.tags.append(
                    Tag(f"{number:024x}", created, created + timedelta(seconds=lag))
                )
            clockify.start_poll(fault, fault_from)
            result = PACK.poll(
                "new_tag",
                {"workspace_id": WORKSPACE},
                state,
                api_key="k" * 48,
                transport=httpx.MockTransport(clockify.handle),
                settings=SETTINGS,
                clock=lambda skew=skew: clockify.now + timedelta(minutes=skew),
            )
            # However many pages a server sends, a poll reads at most the cap and a page.
            assert clockify.served <= CAP + PAGE
            if result["status"] != "success":
                assert result["error"]["type"] in {"upstream_error", "network_error"}, result
                assert "state" not in result and "events" not in result
                continue
            if state is None:
                baseline = clockify.now
            state = result["state"]
            delivered += [event["id"] for event in result["events"]]
            # The cursor never runs ahead of Clockify's clock...
            assert parse_timestamp(state["cursor"]) <= clockify.now
            # ...nor past an event it has not delivered: everything Clockify lists that was
            # made after the first poll has been delivered by now.
            assert baseline is not None
            due = {
                t.id for t in clockify.tags if t.created > baseline and t.visible <= clockify.now
            }
            assert due <= set(delivered), to_wire(clockify.now)
        assert len(delivered) == len(set(delivered)), "an event was delivered twice"
        assert baseline is not None
        # What Clockify already listed at the first poll is never delivered.
        there = {t.id for t in clockify.tags if t.created <= baseline and t.visible <= baseline}
        assert not there & set(delivered)
