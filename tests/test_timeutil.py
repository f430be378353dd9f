from __future__ import annotations

import pytest

from clockify_actions.timeutil import (
    TimestampError,
    hours,
    local_to_instant,
    local_wire,
    parse_time_input,
    parse_timestamp,
    time_zone,
    to_wire,
)


@pytest.mark.parametrize(
    ("given", "wire"),
    [
        ("2026-01-28T09:00:00Z", "2026-01-28T09:00:00Z"),
        ("2026-01-28T09:00:00.999Z", "2026-01-28T09:00:00Z"),
        ("2026-01-28T09:00:00.123456+00:00", "2026-01-28T09:00:00Z"),
        ("2026-01-28T10:00:00+01:00", "2026-01-28T09:00:00Z"),
        ("2026-01-28T04:30:00-0430", "2026-01-28T09:00:00Z"),
        ("2026-01-28T09:00Z", "2026-01-28T09:00:00Z"),
        ("2028-02-29T23:30:00-01:00", "2028-03-01T00:30:00Z"),
        ("2026-01-28T24:00:00Z", "2026-01-29T00:00:00Z"),
        ("9999-12-30T23:59:59Z", "9999-12-30T23:59:59Z"),
        ("9999-12-31T08:59:59+09:00", "9999-12-30T23:59:59Z"),
        ("0999-12-31T23:59:59Z", "0999-12-31T23:59:59Z"),
        ("0001-01-02T00:00:00Z", "0001-01-02T00:00:00Z"),
        ("0100-03-01T00:30:00+01:00", "0100-02-28T23:30:00Z"),
        ("2026-01-28t09:00:00z", "2026-01-28T09:00:00Z"),
    ],
)
def test_accepted_timestamps_normalise_to_utc_seconds(given: str, wire: str) -> None:
    assert to_wire(parse_timestamp(given)) == wire


@pytest.mark.parametrize(
    "given",
    [
        "2026-01-28",
        "2026-01-28T09:00:00",
        "2027-02-29T09:00:00Z",
        "9999-12-31T23:00:00-05:00",
        "0001-01-01T00:30:00+01:00",
        "0001-01-01T00:00:00Z",  # Clockify's first instant: a day before the pack's
        "0001-01-01T23:59:59Z",
        "9999-12-31T00:00:00Z",  # Clockify's last day: the pack's range ends the day before
        "9999-12-31T14:00:00+14:00",
        "9999-12-31T23:59:59Z",
        "2026-01-28T24:00:01Z",
        "2026-01-28T09:00:60Z",
        "2026-01-28T09:00:00+24:00",
        "",
    ],
)
def test_refused_timestamps_raise_a_clear_error(given: str) -> None:
    with pytest.raises(TimestampError):
        to_wire(parse_timestamp(given))


def test_the_sandbox_writes_instants_with_the_pack_s_formatter() -> None:
    from clockify_actions.sandbox import _time

    assert _time.format_instant is to_wire


@pytest.mark.parametrize(
    ("local", "zone", "instant"),
    [
        ("2026-01-28T09:00:00", "Europe/Berlin", "2026-01-28T08:00:00Z"),
        ("2026-01-28T09:00", "UTC", "2026-01-28T09:00:00Z"),
        ("2026-07-01 09:00:00.75", "America/New_York", "2026-07-01T13:00:00Z"),
        # Shown twice on 25 October 2026 (fall back): the earlier, still on summer time.
        ("2026-10-25T02:30:00", "Europe/Berlin", "2026-10-25T00:30:00Z"),
        ("2026-11-01T01:30:00", "America/New_York", "2026-11-01T05:30:00Z"),
    ],
)
def test_a_local_time_is_the_instant_its_wall_clock_shows(
    local: str, zone: str, instant: str
) -> None:
    assert to_wire(local_to_instant(local, time_zone(zone))) == instant


@pytest.mark.parametrize(
    ("local", "zone"),
    [("2026-03-29T02:30:00", "Europe/Berlin"), ("2026-03-08T02:00:00", "America/New_York")],
)
def test_a_local_time_the_clocks_skip_is_refused_saying_so(local: str, zone: str) -> None:
    with pytest.raises(TimestampError, match=f"does not exist in {zone}.*daylight saving"):
        local_to_instant(local, time_zone(zone))


def test_an_unknown_zone_is_refused_with_an_example() -> None:
    with pytest.raises(TimestampError, match="Europe/Berlin"):
        time_zone("Mars/Olympus")


def test_a_time_input_is_zoned_or_local() -> None:
    assert parse_time_input("2026-01-28T09:00:00+01:00").tzinfo is not None
    assert parse_time_input("2026-01-28T09:00:00").tzinfo is None
    with pytest.raises(TimestampError, match="not a valid date"):
        parse_time_input("2026-02-30T09:00:00")


def test_hours_are_decimal_to_two_places() -> None:
    assert [hours(s) for s in (0, 5400, 3601, 19800)] == [0.0, 1.5, 1.0, 5.5]


def test_the_wall_clock_of_a_zone_carries_its_offset() -> None:
    moment = parse_timestamp("2026-07-01T12:00:00Z")
    assert local_wire(moment, "Europe/Berlin") == "2026-07-01T14:00:00+02:00"
    assert local_wire(moment, None) is None
    assert local_wire(moment, "Nowhere/Else") is None


def test_an_instant_outside_the_pack_s_range_says_which_range() -> None:
    with pytest.raises(TimestampError) as refused:
        parse_timestamp("0001-01-01T00:00:00Z")
    assert "0001-01-02T00:00:00Z to 9999-12-30T23:59:59Z" in str(refused.value)


def test_a_timestamp_no_caller_checked_is_clockify_s_and_a_contract_error() -> None:
    with pytest.raises(TimestampError) as refused:
        parse_timestamp("2026-01-28T09:00:00")
    assert refused.value.type.value == "contract_error"
    assert "'2026-01-28T09:00:00'" in refused.value.message
