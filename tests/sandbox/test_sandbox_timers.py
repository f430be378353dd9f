"""Time entries and the one-running-timer rule (docs/clockify-api.md §6-§8, §10.3), over both
transports."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import httpx
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from clockify_actions.sandbox import (
    ARCHIVED_PROJECT_ID,
    DEMO_API_KEY,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    FORCED_PROJECT_WORKSPACE_ID,
    FORCED_WORKSPACE_PROJECT_ID,
    FOREIGN_PROJECT_ID,
    OTHER_USER_ID,
    SAMPLE_PROJECT_ID,
    SAMPLE_TIME_ENTRY_ID,
    Sandbox,
)

from .sandbox_testkit import ClientFactory, SpecChecker, checked_client

WS = f"/workspaces/{DEMO_WORKSPACE_ID}"
FORCED = f"/workspaces/{FORCED_PROJECT_WORKSPACE_ID}"
MINE = f"{WS}/user/{DEMO_USER_ID}/time-entries"

ENTRY_KEYS = [
    "id",
    "description",
    "tagIds",
    "userId",
    "billable",
    "taskId",
    "projectId",
    "workspaceId",
    "timeInterval",
    "customFieldValues",
    "type",
    "kioskId",
    "isLocked",
]


def start(client: httpx.Client, at: str, base: str = WS, **fields: object) -> httpx.Response:
    return client.post(f"{base}/time-entries", json={"start": at, **fields})


def running(sandbox: Sandbox, workspace: str = DEMO_WORKSPACE_ID) -> list[str]:
    return [
        entry["timeInterval"]["start"]
        for entry in sandbox.time_entries(workspace)
        if entry["timeInterval"]["end"] is None
    ]


def error(response: httpx.Response) -> tuple[int, str, int]:
    return response.status_code, response.json()["message"], response.json()["code"]


def test_finished_entry_has_an_iso_duration(api: httpx.Client, sandbox: Sandbox) -> None:
    response = start(
        api,
        "2025-12-31T09:00:00Z",
        end="2025-12-31T18:00:00Z",
        description="Audit",
        projectId=SAMPLE_PROJECT_ID,
        billable=True,
        tagIds=["64b7c0de5eed0000000f0001"],
    )
    assert response.status_code == 201
    entry = response.json()
    assert list(entry) == ENTRY_KEYS  # the write form carries no rates
    assert entry["timeInterval"] == {
        "start": "2025-12-31T09:00:00Z",
        "end": "2025-12-31T18:00:00Z",
        "duration": "PT9H",
    }
    assert (entry["type"], entry["kioskId"], entry["customFieldValues"]) == ("REGULAR", None, [])
    assert (entry["description"], entry["billable"]) == ("Audit", True)
    stored = api.get(f"{WS}/time-entries/{entry['id']}").json()
    assert stored["hourlyRate"] == {"amount": 5000, "currency": "USD"}
    assert stored["costRate"] == {"amount": 0, "currency": "USD"}
    # The seeded 1h30 and these 9h add up on the project.
    assert api.get(f"{WS}/projects/{SAMPLE_PROJECT_ID}").json()["duration"] == "PT10H30M"
    assert sandbox.time_entries(DEMO_WORKSPACE_ID)[0]["id"] == entry["id"]


@pytest.mark.parametrize(
    ("sent", "echoed"),
    [
        ("2025-03-01T09:00:00.123Z", "2025-03-01T09:00:00Z"),
        ("2025-03-01T09:00:00.123456Z", "2025-03-01T09:00:00Z"),
        ("2025-03-01T11:00:00+02:00", "2025-03-01T09:00:00Z"),
        ("2025-03-01T04:30:59.9-04:30", "2025-03-01T09:00:59Z"),
    ],
)
def test_timestamps_are_truncated_and_converted_to_utc(
    api: httpx.Client, sent: str, echoed: str
) -> None:
    assert start(api, sent).json()["timeInterval"]["start"] == echoed


@pytest.mark.parametrize("value", ["", "2025-03-01", "2025-03-01T09:00:00", "yesterday", 17])
def test_invalid_start_is_400(api: httpx.Client, sandbox: Sandbox, value: object) -> None:
    response = api.post(f"{WS}/time-entries", json={"start": value})
    assert response.status_code == 400
    assert response.json()["message"].startswith("You entered invalid value for field : [start]")
    assert len(sandbox.time_entries(DEMO_WORKSPACE_ID)) == 1


def test_dates_outside_0001_to_9999_or_javas_offsets_are_400(
    api: httpx.Client, sandbox: Sandbox
) -> None:
    for value in [
        # Before 0001-01-01 or after 9999-12-31 once the offset is applied.
        "0001-01-01T00:30:00+01:00",
        "9999-12-31T23:00:00-05:00",
        # Java's offsets end at 18 hours.
        "2025-03-01T09:00:00+18:01",
        "2025-03-01T09:00:00-19:00",
        "2025-03-01T09:00:00+05:60",
    ]:
        response = start(api, value)
        assert response.status_code == 400
        assert response.json()["message"].startswith(
            "You entered invalid value for field : [start]"
        )
    past_9999 = start(api, "9999-12-31T20:00:00Z", end="9999-12-31T23:30:00-05:00")
    assert past_9999.json()["message"].startswith("You entered invalid value for field : [end]")
    assert len(sandbox.time_entries(DEMO_WORKSPACE_ID)) == 1


def test_offsets_up_to_18_hours_are_accepted(api: httpx.Client) -> None:
    east = start(api, "2025-03-01T09:00:00+18:00", end="2025-03-01T10:00:00+18:00")
    assert east.json()["timeInterval"]["start"] == "2025-02-28T15:00:00Z"
    west = start(api, "2025-03-01T09:00:00-18:00", end="2025-03-01T10:00:00-18:00")
    assert west.json()["timeInterval"]["start"] == "2025-03-02T03:00:00Z"


def test_years_before_1000_keep_four_digits_and_their_order(
    api: httpx.Client, sandbox: Sandbox
) -> None:
    entry = start(api, "0999-01-01T00:30:00Z").json()
    assert entry["timeInterval"]["start"] == "0999-01-01T00:30:00Z"
    # The listing is newest first, so year 999 comes after the seeded 2024 entry.
    listed = [e["timeInterval"]["start"] for e in api.get(MINE).json()]
    assert listed == ["2024-01-15T09:00:00Z", "0999-01-01T00:30:00Z"]
    stopped = api.patch(MINE, json={"end": "0999-01-01T01:00:00Z"})
    assert stopped.json()["timeInterval"] == {
        "start": "0999-01-01T00:30:00Z",
        "end": "0999-01-01T01:00:00Z",
        "duration": "PT30M",
    }


def test_description_is_at_most_3000_characters(api: httpx.Client, sandbox: Sandbox) -> None:
    too_long = start(api, "2025-03-01T09:00:00Z", description="x" * 3001)
    assert error(too_long) == (400, "description: size must be between 0 and 3000", 501)
    # Java counts UTF-16 units: 1500 emoji are 3000 of them, 1501 too many.
    assert start(api, "2025-03-01T09:00:00Z", description="\U0001f600" * 1501).status_code == 400
    assert len(sandbox.time_entries(DEMO_WORKSPACE_ID)) == 1
    longest = start(api, "2025-03-01T09:00:00Z", description="\U0001f600" * 1500)
    assert longest.status_code == 201
    assert start(api, "2025-03-01T10:00:00Z", description="x" * 3000).status_code == 201


def test_empty_end_is_invalid_and_only_an_end_is_refused(api: httpx.Client) -> None:
    empty_end = start(api, "2025-03-01T09:00:00Z", end="")
    assert empty_end.json()["message"].startswith("You entered invalid value for field : [end]")
    only_end = api.post(f"{WS}/time-entries", json={"end": "2025-03-01T09:00:00Z"})
    assert error(only_end) == (400, "Can't create time entry with end time only.", 501)


def test_start_after_end_is_400(api: httpx.Client) -> None:
    response = start(api, "2024-10-31T22:00:00Z", end="2024-10-31T16:00:00Z")
    assert error(response) == (
        400,
        "Start datetime 2024-10-31T22:00:00Z is greater than end datetime 2024-10-31T16:00:00Z.",
        501,
    )


def test_more_than_999_hours_is_400(api: httpx.Client) -> None:
    response = start(api, "2024-10-31T09:00:00Z", end="2029-10-31T09:00:00Z")
    assert error(response) == (400, "Time entry cannot have duration more than 999 hours.", 501)


def test_unknown_project_is_400_and_archived_is_accepted(api: httpx.Client) -> None:
    foreign = start(api, "2025-03-01T09:00:00Z", projectId=FOREIGN_PROJECT_ID)
    assert error(foreign) == (400, "Project doesn't belong to Workspace", 501)
    archived = start(api, "2025-03-01T09:00:00Z", projectId=ARCHIVED_PROJECT_ID)
    assert archived.status_code == 201


def test_missing_body_names_the_spring_handler(api: httpx.Client) -> None:
    response = api.post(f"{WS}/time-entries")
    assert response.status_code == 400
    assert response.json()["message"].startswith(
        "Required request body is missing: public com.clockify.adapter.http.v1.dto."
        "TimeEntryDtoImplV1 com.clockify.adapter.http.v1.timeentry.TimeEntryHttpAdapter.create("
    )


# --- the running timer -------------------------------------------------------------------------


def test_starting_a_timer_stops_the_running_one_at_the_new_start(
    api: httpx.Client, sandbox: Sandbox
) -> None:
    first = start(api, "2025-03-01T09:00:00Z").json()
    assert first["timeInterval"] == {"start": "2025-03-01T09:00:00Z", "end": None, "duration": None}
    second = start(api, "2025-03-01T10:15:30Z").json()
    stopped = api.get(f"{WS}/time-entries/{first['id']}").json()["timeInterval"]
    assert stopped == {
        "start": "2025-03-01T09:00:00Z",
        "end": "2025-03-01T10:15:30Z",
        "duration": "PT1H15M30S",
    }
    in_progress = api.get(f"{WS}/time-entries/status/in-progress").json()
    assert [entry["id"] for entry in in_progress] == [second["id"]]
    assert running(sandbox) == ["2025-03-01T10:15:30Z"]


def test_starting_before_the_running_start_fails_and_creates_nothing(
    api: httpx.Client, sandbox: Sandbox
) -> None:
    start(api, "2020-12-01T14:57:28Z")
    response = start(api, "2020-12-01T14:57:27Z")
    assert error(response) == (
        400,
        "Start datetime 2020-12-01T14:57:28Z is greater than end datetime 2020-12-01T14:57:27Z.",
        501,
    )
    assert running(sandbox) == ["2020-12-01T14:57:28Z"]
    assert len(sandbox.time_entries(DEMO_WORKSPACE_ID)) == 2


def test_running_entry_breaking_forced_projects_blocks_a_new_timer(
    api: httpx.Client, sandbox: Sandbox
) -> None:
    # A timer may start without a project; it cannot stop without one.
    assert start(api, "2025-03-01T09:00:00Z", base=FORCED).status_code == 201
    response = start(
        api, "2025-03-01T10:00:00Z", base=FORCED, projectId=FORCED_WORKSPACE_PROJECT_ID
    )
    assert error(response) == (
        400,
        "Time entry couldn't be created. Project is either required field or given project is"
        " archived.",
        501,
    )
    assert running(sandbox, FORCED_PROJECT_WORKSPACE_ID) == ["2025-03-01T09:00:00Z"]
    assert len(sandbox.time_entries(FORCED_PROJECT_WORKSPACE_ID)) == 1


def test_forced_projects_refuse_a_finished_entry_without_one(api: httpx.Client) -> None:
    times = {"end": "2025-03-01T10:00:00Z"}
    without = start(api, "2025-03-01T09:00:00Z", base=FORCED, **times)
    assert without.status_code == 400
    with_project = start(
        api, "2025-03-01T09:00:00Z", base=FORCED, projectId=FORCED_WORKSPACE_PROJECT_ID, **times
    )
    assert with_project.status_code == 201


def test_a_finished_entry_leaves_the_running_timer_alone(
    api: httpx.Client, sandbox: Sandbox
) -> None:
    start(api, "2025-03-01T09:00:00Z")
    assert start(api, "2025-02-01T09:00:00Z", end="2025-02-01T10:00:00Z").status_code == 201
    assert running(sandbox) == ["2025-03-01T09:00:00Z"]


def test_auto_stop_off_leaves_the_old_timer_running(api: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.configure(auto_stop=False)
    start(api, "2025-03-01T09:00:00Z")
    start(api, "2025-03-01T08:00:00Z")
    assert running(sandbox) == ["2025-03-01T09:00:00Z", "2025-03-01T08:00:00Z"]
    in_progress = api.get(f"{MINE}", params={"in-progress": "true"}).json()
    assert len(in_progress) == 2


def test_a_new_timer_that_cannot_stop_every_running_one_changes_nothing(
    api: httpx.Client, sandbox: Sandbox
) -> None:
    # Two timers left running while auto-stop was off: the newer with a project, the older
    # without one, which a workspace that forces projects will not let stop.
    sandbox.configure(auto_stop=False)
    start(api, "2025-03-01T09:00:00Z", base=FORCED)
    start(api, "2025-03-01T10:00:00Z", base=FORCED, projectId=FORCED_WORKSPACE_PROJECT_ID)
    sandbox.configure(auto_stop=True)
    before = sandbox.time_entries(FORCED_PROJECT_WORKSPACE_ID)
    project = f"{FORCED}/projects/{FORCED_WORKSPACE_PROJECT_ID}"
    assert api.get(project).json()["duration"] == "PT0S"
    # The newer stops first, at 11:00; the older then fails, and the first stop is undone.
    response = start(
        api, "2025-03-01T11:00:00Z", base=FORCED, projectId=FORCED_WORKSPACE_PROJECT_ID
    )
    assert error(response) == (
        400,
        "Time entry couldn't be created. Project is either required field or given project is"
        " archived.",
        501,
    )
    assert sandbox.time_entries(FORCED_PROJECT_WORKSPACE_ID) == before
    assert running(sandbox, FORCED_PROJECT_WORKSPACE_ID) == [
        "2025-03-01T10:00:00Z",
        "2025-03-01T09:00:00Z",
    ]
    assert api.get(project).json()["duration"] == "PT0S"


def test_stop_sets_end_and_duration_then_404s(api: httpx.Client, sandbox: Sandbox) -> None:
    entry = start(api, "2025-03-01T09:00:00Z").json()
    stopped = api.patch(MINE, json={"end": "2025-03-01T09:45:00.500Z"})
    assert stopped.status_code == 200
    assert stopped.json()["id"] == entry["id"]
    assert stopped.json()["timeInterval"]["duration"] == "PT45M"
    again = api.patch(f"{MINE}/", json={"end": "2025-03-01T10:00:00Z"})
    assert error(again) == (
        404,
        f"Currently running time entry doesn't exist on workspace {DEMO_WORKSPACE_ID}"
        f" for user {DEMO_USER_ID}.",
        404,
    )
    assert running(sandbox) == []


def test_stop_before_the_start_is_400_and_keeps_the_timer(
    api: httpx.Client, sandbox: Sandbox
) -> None:
    start(api, "2025-03-01T09:00:00Z")
    response = api.patch(MINE, json={"end": "2025-03-01T08:00:00Z"})
    assert error(response) == (
        400,
        "Start datetime 2025-03-01T09:00:00Z is greater than end datetime 2025-03-01T08:00:00Z.",
        501,
    )
    assert running(sandbox) == ["2025-03-01T09:00:00Z"]


def test_stop_needs_an_end(api: httpx.Client) -> None:
    start(api, "2025-03-01T09:00:00Z")
    assert (
        api.patch(MINE, json={})
        .json()["message"]
        .startswith("You entered invalid value for field : [end]")
    )
    assert api.patch(MINE).json()["message"].startswith("Required request body is missing")


def test_create_for_a_user_checks_membership(api: httpx.Client) -> None:
    mine = api.post(MINE, json={"start": "2025-03-01T09:00:00Z"})
    assert (mine.status_code, mine.json()["userId"]) == (201, DEMO_USER_ID)
    other = api.post(
        f"{WS}/user/{OTHER_USER_ID}/time-entries", json={"start": "2025-03-01T09:00:00Z"}
    )
    assert error(other) == (400, "User doesn't belong to Workspace", 501)
    listing = api.get(f"{WS}/user/000000000000000000000000/time-entries")
    assert error(listing) == (400, "User doesn't belong to Workspace", 501)


def test_user_entries_are_newest_first_and_paginated(api: httpx.Client) -> None:
    for day in ("01", "03", "02"):
        start(api, f"2025-03-{day}T09:00:00Z", end=f"2025-03-{day}T10:00:00Z")
    first = api.get(MINE, params={"page-size": 2})
    assert [e["timeInterval"]["start"][:10] for e in first.json()] == ["2025-03-03", "2025-03-02"]
    assert first.headers["Last-Page"] == "false"
    second = api.get(MINE, params={"page-size": 2, "page": 2})
    assert [e["id"] for e in second.json()][-1] == SAMPLE_TIME_ENTRY_ID
    assert second.headers["Last-Page"] == "true"
    assert api.get(MINE, params={"in-progress": "true"}).json() == []


def test_in_progress_pages_default_to_ten_and_cap_at_1000(
    api: httpx.Client, sandbox: Sandbox
) -> None:
    sandbox.configure(auto_stop=False)
    for minute in range(11):
        start(api, f"2025-03-01T09:{minute:02d}:00Z")
    first = api.get(f"{WS}/time-entries/status/in-progress")
    assert (len(first.json()), first.headers["Last-Page"]) == (10, "false")
    rest = api.get(f"{WS}/time-entries/status/in-progress", params={"page": 2})
    assert (len(rest.json()), rest.headers["Last-Page"]) == (1, "true")
    too_big = api.get(f"{WS}/time-entries/status/in-progress", params={"page-size": 1001})
    assert error(too_big) == (400, "Page size cannot be larger than 1,000.", 501)


def test_get_unknown_entry_is_400(api: httpx.Client) -> None:
    response = api.get(f"{WS}/time-entries/000000000000000000000000")
    assert error(response) == (400, "Time entry doesn't belong to Workspace", 501)


def test_the_frozen_clock_dates_new_ids(connect: ClientFactory, sandbox: Sandbox) -> None:
    sandbox.set_time(datetime(2025, 1, 2, 3, 4, 5, 678, tzinfo=UTC))
    assert sandbox.now() == datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    entry = start(connect(), "2025-01-02T03:00:00Z").json()
    assert int(entry["id"][:8], 16) == int(datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC).timestamp())


@pytest.fixture(scope="module")
def shared_api(
    tmp_path_factory: pytest.TempPathFactory, spec_checker: SpecChecker | None
) -> Iterator[httpx.Client]:
    """One sandbox for every example: a fresh one each would dominate the run time."""
    with Sandbox.open(tmp_path_factory.mktemp("hypothesis") / "db") as sandbox:
        yield checked_client(
            spec_checker,
            transport=sandbox.transport(),
            base_url="https://api.clockify.me/api/v1",
            headers={"X-Api-Key": DEMO_API_KEY},
        )


def _seconds(duration: str) -> int:
    parts = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?", duration)
    assert parts is not None, duration
    hours, minutes, seconds = (int(part or 0) for part in parts.groups())
    return hours * 3600 + minutes * 60 + seconds


# Every offset Java allows, with the odd minutes real zones have.
OFFSETS = st.builds(
    lambda minutes: timezone(timedelta(minutes=minutes)),
    st.integers(min_value=-18 * 60, max_value=18 * 60),
)


@settings(max_examples=80, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59), timezones=OFFSETS
    ),
    length=st.integers(min_value=0, max_value=999 * 3600),
)
def test_any_iso_interval_comes_back_in_utc_seconds(
    shared_api: httpx.Client, start: datetime, length: int
) -> None:
    """Over Clockify's whole range, 0001-01-01 to 9999-12-31 in UTC: within it an interval
    comes back in UTC to the second, outside it the date is refused."""
    assume(start.replace(tzinfo=None) <= datetime.max - timedelta(seconds=length))
    end = start + timedelta(seconds=length)
    sent = {"start": start.isoformat(), "end": end.isoformat()}
    response = shared_api.post(f"{WS}/time-entries", json=sent)
    try:
        utc_start = start.astimezone(UTC).replace(microsecond=0)
        utc_end = end.astimezone(UTC).replace(microsecond=0)
    except OverflowError:  # before 0001-01-01 or after 9999-12-31 in UTC
        assert response.status_code == 400
        assert response.json()["message"].startswith("You entered invalid value for field")
        return
    interval = response.json()["timeInterval"]
    assert interval["start"] == f"{utc_start.replace(tzinfo=None).isoformat()}Z"
    assert _seconds(interval["duration"]) == (utc_end - utc_start).total_seconds()
