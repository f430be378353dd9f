"""The triggers at their edges: a server that pages forever or answers late, a poller
whose clock is off Clockify's, a first poll just after a change, and a state handed to the
wrong trigger or workspace."""

from __future__ import annotations

import email.utils
import json
import os
import stat
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

import clockify_actions.clockify.client as client_module
import clockify_actions.clockify.settings as settings_module
from clockify_actions.adapters import statefile
from clockify_actions.clockify import ClientSettings, RetrySettings
from clockify_actions.errors import ActionError
from clockify_actions.runtime import Pack
from clockify_actions.sandbox import DEMO_API_KEY, DEMO_WORKSPACE_ID, SAMPLE_PROJECT_ID, Sandbox

START = datetime(2026, 1, 28, 9, 0, tzinfo=UTC)
WORKSPACE = f"/workspaces/{DEMO_WORKSPACE_ID}"
OTHER_WORKSPACE = "64b7c0de5eed000000000b02"
PARAMS = {"workspace_id": DEMO_WORKSPACE_ID}
# No pacing, no waits between retries: nothing here depends on real time.
QUICK = ClientSettings(
    requests_per_second=None,
    retry=RetrySettings(max_attempts=1),
    max_list_items=2000,
)


class FakeTime:
    """The client's monotonic clock, moved only by the server's answers."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def fake_time(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    fake = FakeTime()
    clock = SimpleNamespace(monotonic=fake.monotonic, sleep=fake.sleep)
    # The client's waits and the page budget's deadline both follow the fake clock.
    monkeypatch.setattr(client_module, "time", clock)
    monkeypatch.setattr(settings_module, "time", clock)
    return fake


def _item(number: int, created: datetime) -> dict[str, Any]:
    return {
        "id": f"{number:024x}",
        "name": f"Item {number}",
        "workspaceId": DEMO_WORKSPACE_ID,
        "timeInterval": {"start": "2026-01-28T08:00:00Z", "end": "2026-01-28T08:30:00Z"},
        "auditMetadata": {"createdAt": created.isoformat().replace("+00:00", "Z")},
    }


def _endless_pages(
    per_page: int, requests: list[httpx.Request], answer_seconds: float = 0.0, fake: Any = None
) -> httpx.MockTransport:
    """Full pages of new items forever (or until a guard stops a poll that never ends)."""

    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        assert len(requests) < 50, "the poll kept asking for pages"
        if fake is not None:
            fake.now += answer_seconds
        base = len(requests) * per_page
        items = [_item(base + i, START) for i in range(per_page)]
        return httpx.Response(200, json=items)

    return httpx.MockTransport(answer)


def _poll(pack: Pack, name: str, transport: httpx.BaseTransport, state: Any = None) -> Any:
    """A poll from `state`, or a first poll that backfills (and so reads every page)."""
    return pack.poll(
        name,
        PARAMS if state is not None else {**PARAMS, "since": "2026-01-01T00:00:00Z"},
        state,
        api_key=DEMO_API_KEY,
        transport=transport,
        settings=QUICK,
        clock=lambda: START,
    )


def _feed_state(name: str, cursor: str) -> dict[str, Any]:
    return {"trigger": name, "workspace_id": DEMO_WORKSPACE_ID, "cursor": cursor, "seen": {}}


# -- every page of a poll within one item cap and one deadline ------------------------


@pytest.mark.parametrize("name", ["new_project", "new_time_entry", "timer_started"])
def test_a_server_that_sends_full_pages_forever_ends_the_poll_at_the_item_cap(
    pack: Pack, name: str
) -> None:
    requests: list[httpx.Request] = []
    result = _poll(pack, name, _endless_pages(1000, requests))
    assert result["status"] == "error", result
    assert result["error"]["type"] == "upstream_error"
    assert "2,000 items" in result["error"]["message"]
    assert "state" not in result and "events" not in result
    # Two pages reach the cap; the third passes it: nothing more was asked for.
    assert len(requests) <= 3


def test_the_created_and_updated_feeds_of_one_poll_share_one_item_cap(pack: Pack) -> None:
    # Each feed alone holds 1,500 items, under the cap of 2,000; together they pass it.
    def answer(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        route = request.url.path.rsplit("/", 1)[-1]
        offset = 0 if route == "created" else 10_000
        size = (1000, 500, 0)[min(page, 2)]
        items = [_item(offset + page * 1000 + i, START) for i in range(size)]
        return httpx.Response(200, json=items)

    result = _poll(pack, "new_time_entry", httpx.MockTransport(answer))
    assert result["status"] == "error", result
    assert result["error"]["type"] == "upstream_error"
    assert "state" not in result


@pytest.mark.parametrize("name", ["new_client", "timer_started"])
def test_a_server_that_answers_late_ends_the_poll_at_one_deadline_for_all_its_pages(
    pack: Pack, fake_time: FakeTime, name: str
) -> None:
    # Each page arrives 20 s after it was asked for: no request passes the 45-second retry
    # deadline, but the third page starts after the poll's deadline.
    requests: list[httpx.Request] = []
    transport = _endless_pages(1000, requests, answer_seconds=20.0, fake=fake_time)
    settings = ClientSettings(requests_per_second=None, retry=RetrySettings(max_attempts=1))
    result = pack.poll(
        name,
        {**PARAMS, "since": "2026-01-01T00:00:00Z"},
        None,
        api_key=DEMO_API_KEY,
        transport=transport,
        settings=settings,
        clock=lambda: START,
    )
    assert result["status"] == "error", result
    assert result["error"]["type"] == "upstream_error"
    assert "deadline" in result["error"]["message"]
    assert "state" not in result
    assert len(requests) == 3


def test_timers_that_stopped_are_looked_up_within_the_polls_one_deadline(
    pack: Pack, fake_time: FakeTime
) -> None:
    # Five timers of the last poll are gone from the running list; each look-up of one
    # answers 20 s late: the poll stops at its deadline instead of taking 100 s.
    running = {f"{n:024x}": "2026-01-28T08:00:00Z" for n in range(5)}
    requests: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        fake_time.now += 20.0
        if request.url.path.endswith("/in-progress"):
            return httpx.Response(200, json=[])
        return httpx.Response(200, json=_item(int(request.url.path[-24:], 16), START))

    settings = ClientSettings(requests_per_second=None, retry=RetrySettings(max_attempts=1))
    state = {"trigger": "timer_stopped", "workspace_id": DEMO_WORKSPACE_ID, "running": running}
    result = pack.poll(
        "timer_stopped",
        PARAMS,
        state,
        api_key=DEMO_API_KEY,
        transport=httpx.MockTransport(answer),
        settings=settings,
    )
    assert result["status"] == "error", result
    assert result["error"]["type"] == "upstream_error"
    assert "state" not in result
    assert len(requests) == 3


# -- a poller whose clock is off Clockify's ---------------------------------------------


class Watch:
    """The sandbox as Clockify, and one trigger polling it from a machine whose clock is
    `skew` off the sandbox's; the state of each successful poll is kept."""

    def __init__(self, sandbox: Sandbox, pack: Pack, skew: timedelta = timedelta()) -> None:
        self.sandbox, self.pack, self.skew = sandbox, pack, skew
        self.states: dict[str, Any] = {}
        self.app = httpx.Client(
            transport=sandbox.transport(),
            base_url="https://api.clockify.me/api/v1",
            headers={"X-Api-Key": DEMO_API_KEY},
        )

    def at(self, minutes: float) -> None:
        self.sandbox.set_time(START + timedelta(minutes=minutes))

    def poll(self, name: str, **params: Any) -> list[str]:
        result = self.pack.poll(
            name,
            {**PARAMS, **params},
            self.states.get(name),
            api_key=DEMO_API_KEY,
            base_url="http://sandbox.localhost/api/v1",
            transport=self.sandbox.transport(),
            clock=lambda: self.sandbox.now() + self.skew,
        )
        assert result["status"] == "success", result
        self.states[name] = result["state"]
        return [event["id"] for event in result["events"]]

    def create(self, what: str, name: str) -> str:
        answer = self.app.post(f"{WORKSPACE}/{what}", json={"name": name})
        assert answer.status_code == 201, answer.text
        created: str = answer.json()["id"]
        return created

    def entry(self, start: str, end: str) -> str:
        body = {"start": start, "end": end, "projectId": SAMPLE_PROJECT_ID}
        answer = self.app.post(f"{WORKSPACE}/time-entries", json=body)
        assert answer.status_code == 201, answer.text
        entry_id: str = answer.json()["id"]
        return entry_id


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as opened:
        opened.set_time(START)
        yield opened


@pytest.mark.parametrize("minutes", [15, 59, -15, -180])
def test_a_poller_whose_clock_is_off_clockifys_loses_nothing(
    sandbox: Sandbox, pack: Pack, minutes: int
) -> None:
    watch = Watch(sandbox, pack, timedelta(minutes=minutes))
    assert watch.poll("new_project") == []
    created: list[str] = []
    delivered: list[str] = []
    for step in range(1, 7):
        watch.at(step * 5 - 3)
        created.append(watch.create("projects", f"Skewed {minutes} {step}"))
        watch.at(step * 5)
        delivered += watch.poll("new_project")
    # However far off this machine's clock is, a poll by Clockify's clock gets the rest.
    watch.skew = timedelta()
    watch.at(40)
    delivered += watch.poll("new_project")
    assert sorted(delivered) == sorted(created)
    if minutes > 0:
        assert delivered == created, "a clock ahead of Clockify's delays nothing"


def test_the_cursor_is_clockifys_time_not_this_machines(sandbox: Sandbox, pack: Pack) -> None:
    watch = Watch(sandbox, pack, timedelta(minutes=15))
    watch.poll("new_client")
    assert watch.states["new_client"]["cursor"] == "2026-01-28T09:00:00Z"


def test_the_sandbox_dates_its_answers_by_its_own_clock(sandbox: Sandbox) -> None:
    sandbox.set_time(datetime(2026, 3, 1, 12, 30, 5, tzinfo=UTC))
    expected = "Sun, 01 Mar 2026 12:30:05 GMT"
    with httpx.Client(transport=sandbox.transport()) as app:
        answer = app.get("http://x/api/v1/user", headers={"X-Api-Key": DEMO_API_KEY})
    assert answer.headers.get_list("date") == [expected]
    with sandbox.serve() as server, httpx.Client() as app:
        served = app.get(f"{server.base_url}/user", headers={"X-Api-Key": DEMO_API_KEY})
    assert served.headers.get_list("date") == [expected]
    assert email.utils.parsedate_to_datetime(expected) == datetime(
        2026, 3, 1, 12, 30, 5, tzinfo=UTC
    )


# -- a first poll is a baseline ---------------------------------------------------------


def test_nothing_made_just_before_the_first_poll_is_delivered_later(
    sandbox: Sandbox, pack: Pack
) -> None:
    watch = Watch(sandbox, pack)
    watch.at(-3)
    watch.create("projects", "Made before watching")
    watch.entry("2026-01-28T08:00:00Z", "2026-01-28T08:30:00Z")
    watch.at(0)
    assert watch.poll("new_project") == [] and watch.poll("new_time_entry") == []
    watch.at(1)
    after = watch.create("projects", "Made after watching")
    watch.at(2)
    assert watch.poll("new_project") == [after]
    assert watch.poll("new_time_entry") == []
    for minutes in (5, 11, 20):
        watch.at(minutes)
        assert watch.poll("new_project") == [] and watch.poll("new_time_entry") == []


def test_a_backfill_delivers_from_since_and_nothing_older_later(
    sandbox: Sandbox, pack: Pack
) -> None:
    watch = Watch(sandbox, pack)
    watch.at(-5)
    watch.create("projects", "Before since")
    watch.at(-1)
    wanted = watch.create("projects", "After since")
    watch.at(0)
    assert watch.poll("new_project", since="2026-01-28T08:58:00Z") == [wanted]
    watch.at(1)
    assert watch.poll("new_project") == []


# -- a state belongs to one trigger and one workspace ---------------------------------


@pytest.mark.parametrize(
    ("writer", "reader"),
    [
        ("new_project", "new_client"),
        ("new_project", "new_tag"),
        ("new_project", "new_time_entry"),
        ("new_client", "new_task"),
        ("timer_started", "timer_stopped"),
    ],
)
def test_another_triggers_state_is_refused_before_any_request(
    sandbox: Sandbox, pack: Pack, writer: str, reader: str
) -> None:
    watch = Watch(sandbox, pack)
    watch.poll(writer)
    before = len(sandbox.request_log())
    result = pack.poll(
        reader,
        PARAMS,
        watch.states[writer],
        api_key=DEMO_API_KEY,
        base_url="http://sandbox.localhost/api/v1",
        transport=sandbox.transport(),
    )
    assert result["status"] == "error"
    assert result["error"]["type"] == "validation_error"
    assert {"path": "/trigger", "message": f"written by {writer}"} in result["error"]["details"]
    assert len(sandbox.request_log()) == before


def test_another_workspaces_state_is_refused_before_any_request(
    sandbox: Sandbox, pack: Pack
) -> None:
    watch = Watch(sandbox, pack)
    watch.poll("new_project")
    before = len(sandbox.request_log())
    result = pack.poll(
        "new_project",
        {"workspace_id": OTHER_WORKSPACE},
        watch.states["new_project"],
        api_key=DEMO_API_KEY,
        base_url="http://sandbox.localhost/api/v1",
        transport=sandbox.transport(),
    )
    assert result["status"] == "error"
    assert result["error"]["type"] == "validation_error"
    assert [d["path"] for d in result["error"]["details"]] == ["/workspace_id"]
    assert len(sandbox.request_log()) == before


@pytest.mark.parametrize("cursor", ["0000-00-00T00:00:00Z", "2026-02-30T00:00:00Z"])
def test_a_cursor_that_is_no_moment_is_a_validation_error(pack: Pack, cursor: str) -> None:
    requests: list[httpx.Request] = []
    result = _poll(pack, "new_tag", _endless_pages(1, requests), _feed_state("new_tag", cursor))
    assert result["status"] == "error"
    assert result["error"]["type"] == "validation_error", result
    assert [d["path"] for d in result["error"]["details"]] == ["/cursor"]
    assert requests == []


# -- the state file is a regular file or nothing yet ------------------------------------


def _fifo(folder: Path) -> Path:
    path = folder / "fifo"
    os.mkfifo(path)

    def writer() -> None:
        # Lets a reader that opens the FIFO through to end of file, instead of waiting
        # forever, should one open it.
        with path.open("wb"):
            pass

    threading.Thread(target=writer, daemon=True).start()
    return path


def _symlink(folder: Path) -> Path:
    target = folder / "real.json"
    target.write_text("{}")
    path = folder / "link.json"
    path.symlink_to(target)
    return path


def _directory(folder: Path) -> Path:
    path = folder / "folder"
    path.mkdir()
    return path


@pytest.mark.parametrize("make", [_fifo, _symlink, _directory])
def test_a_state_path_that_is_not_a_regular_file_is_a_config_error(
    tmp_path: Path, make: Callable[[Path], Path]
) -> None:
    path = make(tmp_path)
    try:
        with pytest.raises(ActionError) as raised:
            statefile.read(path)
    finally:
        if stat.S_ISFIFO(os.lstat(path).st_mode):
            os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))  # the writer goes
    assert raised.value.type.value == "config_error"
    assert str(path) in raised.value.message


def test_a_character_device_is_never_taken_for_a_state_file() -> None:
    # Read only: /dev/null itself is never handed to `poll` by a test.
    with pytest.raises(ActionError) as raised:
        statefile.read(Path("/dev/null"))
    assert raised.value.type.value == "config_error"
    assert "/dev/null" in raised.value.message
    with pytest.raises(OSError, match="not a regular file"):
        statefile.replace(Path("/dev/null"), {"cursor": "x"})


def test_a_state_file_with_a_missing_folder_is_refused_before_polling(tmp_path: Path) -> None:
    with pytest.raises(ActionError) as raised:
        statefile.read(tmp_path / "no-such-folder" / "state.json")
    assert raised.value.type.value == "config_error"


def test_a_state_file_still_reads_and_replaces_as_before(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    assert statefile.read(path) is None
    statefile.replace(path, {"cursor": "y"})
    assert json.loads(path.read_text()) == {"cursor": "y"} == statefile.read(path)
