"""Any input at all gets an envelope: never an exception, and nothing sent when invalid."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clockify_actions import Pack, load_pack
from clockify_actions.errors import WriteOutcome
from clockify_actions.timeutil import EARLIEST, LATEST, TimestampError, parse_timestamp, to_wire
from conftest import API_KEY, FAST
from fake_clockify import FakeClockify

PACK = load_pack()
EARLIEST_NAIVE, LATEST_NAIVE = EARLIEST.replace(tzinfo=None), LATEST.replace(tzinfo=None)
ACTIONS = list(PACK.actions)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)

ENVELOPE_TYPES = {"success", "error"}


def _run(pack: Pack, name: str, params: Any) -> tuple[dict[str, Any], FakeClockify]:
    clockify = FakeClockify()
    # Whatever is sent gets a generic refusal: these tests are about input handling.
    clockify.answer_everything(400, {"message": "refused", "code": 501})
    result = pack.run(name, params, api_key=API_KEY, transport=clockify.transport, settings=FAST)
    return result, clockify


def _assert_envelope(name: str, result: dict[str, Any]) -> None:
    assert result["status"] in ENVELOPE_TYPES
    if result["status"] == "error":
        assert set(result["error"]) == {
            "type",
            "message",
            "retryable",
            "http_status",
            "clockify_code",
            "details",
        }
        assert "Traceback" not in result["error"]["message"]
        records = [d for d in result["error"]["details"] if "path" not in d]
        assert len(records) <= 1, "at most one request record"
        if not PACK.actions[name].hints["read_only"]:
            # Every failure of a writing action says what became of its write.
            assert [r.get("outcome") for r in records] in (
                [WriteOutcome.NOT_APPLIED],
                [WriteOutcome.APPLIED],
                [WriteOutcome.UNKNOWN],
            ), result


@pytest.mark.parametrize("name", ACTIONS)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=json_values)
def test_any_json_as_the_input_gets_an_envelope(name: str, params: Any) -> None:
    result, clockify = _run(PACK, name, params)
    _assert_envelope(name, result)
    valid = isinstance(params, dict) and not list(
        PACK.actions[name].parameters_validator.iter_errors(params)
    )
    if not valid:
        assert result["error"]["type"] == "validation_error"
        assert clockify.sent == []
        problems = [d for d in result["error"]["details"] if "path" in d]
        assert problems
        assert all(set(d) == {"path", "message"} for d in problems)
        if not PACK.actions[name].hints["read_only"]:
            assert {"attempts": 0, "outcome": "not_applied"} in result["error"]["details"]


def _example(name: str) -> dict[str, Any]:
    return dict(PACK.actions[name].examples[0]["input"])


PARAMETERS = [
    (name, parameter)
    for name, action in PACK.actions.items()
    for parameter in action.parameters["properties"]
]


@pytest.mark.parametrize(("name", "parameter"), PARAMETERS)
@settings(max_examples=40, deadline=None)
@given(value=json_values)
def test_any_json_as_one_parameter_is_accepted_or_named(
    name: str, parameter: str, value: Any
) -> None:
    params = {**_example(name), parameter: value}
    result, clockify = _run(PACK, name, params)
    _assert_envelope(name, result)
    if value is None and parameter not in PACK.actions[name].parameters.get("required", []):
        # null for an optional parameter means leaving it out, whatever that leads to.
        left_out = {k: v for k, v in params.items() if k != parameter}
        assert result == _run(PACK, name, left_out)[0]
        return
    if result["error"]["type"] == "validation_error":
        assert clockify.sent == []
        # The parameter itself, or a place inside it (an array's item).
        named = (d.get("path", "") for d in result["error"]["details"])
        assert any(path == f"/{parameter}" or path.startswith(f"/{parameter}/") for path in named)
    else:
        assert len(clockify.sent) == 1, "valid input is sent exactly once"


offsets = st.sampled_from(
    ["Z", "z", "+00:00", "-00:00", "+01:00", "-05:30", "+14:00", "-1200", "+0545"]
)
fractions = st.sampled_from(["", ".0", ".5", ".123", ".999999", ",25", ".000000001"])


def wire(moment: datetime) -> str:
    """Clockify's form of a UTC instant, written out field by field: four-digit years."""
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z"
    )


def offset_of(zone: str) -> timedelta:
    if zone in ("Z", "z"):
        return timedelta()
    digits = zone[1:].replace(":", "")
    size = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return -size if zone.startswith("-") else size


@settings(max_examples=500, deadline=None)
@given(
    moment=st.datetimes(),
    fraction=fractions,
    offset=offsets,
    minutes_only=st.booleans(),
    separator=st.sampled_from("Tt"),
)
def test_timestamps_in_iso_8601_variants_are_normalised_or_refused(
    moment: datetime, fraction: str, offset: str, minutes_only: bool, separator: str
) -> None:
    seconds = "" if minutes_only else f":{moment.second:02d}{fraction}"
    text = (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}{separator}"
        f"{moment.hour:02d}:{moment.minute:02d}{seconds}{offset}"
    )
    local = moment.replace(microsecond=0, second=0 if minutes_only else moment.second)
    try:
        expected = (local - offset_of(offset)).replace(tzinfo=UTC)
    except OverflowError:
        expected = None  # the instant falls outside years 1 to 9999 once its offset is applied
    if expected is None or not EARLIEST <= expected <= LATEST:
        with pytest.raises(TimestampError):
            parse_timestamp(text)
        return
    parsed = parse_timestamp(text)
    assert parsed == expected
    assert to_wire(parsed) == wire(expected)


@settings(max_examples=300, deadline=None)
@given(
    moment=st.datetimes(min_value=EARLIEST_NAIVE, max_value=LATEST_NAIVE, timezones=st.just(UTC))
)
def test_every_instant_makes_the_round_trip_through_the_wire_form(moment: datetime) -> None:
    whole = moment.replace(microsecond=0)
    assert to_wire(whole) == wire(whole)
    assert parse_timestamp(to_wire(whole)) == whole
