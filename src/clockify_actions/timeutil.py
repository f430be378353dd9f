"""Timestamps as Clockify writes them: UTC `YYYY-MM-DDTHH:MM:SSZ`, whole seconds."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from clockify_actions.errors import ActionError, ErrorType

EXAMPLE_TIMESTAMP = "2026-01-28T09:00:00Z"
# The instants the pack handles: Clockify's own range, years 1 to 9999 (docs/clockify-api.md
# §1.6), less a day at each end, so that the instant's wall-clock time in any zone (at
# most 14 hours from UTC) and a query widened by the spread of zones stay within the years
# a date can hold.
EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
LATEST = datetime(9999, 12, 30, 23, 59, 59, tzinfo=UTC)

_TIMESTAMP = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[Tt]"
    r"(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?P<fraction>[.,]\d+)?)?"
    r"(?P<zone>[Zz]|[+-]\d{2}:?\d{2})"
)


class TimestampError(ActionError, ValueError):
    """A value that is not an ISO 8601 timestamp with a zone, or an instant outside
    `EARLIEST` to `LATEST`.

    The caller's timestamps are checked by the parameters' `date-time` format, which words
    this as a `validation_error` of that parameter. One that reaches a handler unchecked
    came from Clockify's answer, so uncaught it is a `contract_error`.
    """

    def __init__(self, reason: str, value: str = "") -> None:
        shown = value if len(value) <= 40 else f"{value[:40]}..."
        super().__init__(
            ErrorType.CONTRACT,
            f"Clockify's answer holds a timestamp the pack cannot read ({shown!r}): {reason}.",
        )
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


def parse_timestamp(value: str) -> datetime:
    """Parse an ISO 8601 timestamp that carries a zone; the result is aware and in UTC.

    Fractional seconds are dropped (Clockify stores whole seconds); `24:00` is the
    start of the next day, as ISO 8601 defines it. Naive and date-only values are
    refused because the instant they mean depends on a zone nobody stated.
    """
    match = _TIMESTAMP.fullmatch(value)
    if match is None:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise TimestampError(
                f"a date alone is not a point in time; use e.g. {EXAMPLE_TIMESTAMP}", value
            )
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}([.,]\d+)?)?", value):
            raise TimestampError(
                f"the timestamp has no zone; add Z for UTC or an offset such as +02:00, "
                f"e.g. {EXAMPLE_TIMESTAMP}",
                value,
            )
        raise TimestampError(f"not an ISO 8601 timestamp; use e.g. {EXAMPLE_TIMESTAMP}", value)
    hour, minute, second = match["hour"], match["minute"], match["second"] or "00"
    next_day = hour == "24"
    if next_day:
        if minute != "00" or second != "00" or (match["fraction"] or ".0").strip(".,0"):
            raise TimestampError("24:00 is only valid as 24:00:00, the end of the day", value)
        hour = "00"
    zone = match["zone"].upper()
    zone = "+00:00" if zone == "Z" else zone
    if ":" not in zone:
        zone = f"{zone[:3]}:{zone[3:]}"
    if int(zone[1:3]) > 23 or int(zone[4:6]) > 59:
        raise TimestampError(f"the offset {match['zone']} is not a valid UTC offset", value)
    try:
        parsed = datetime.fromisoformat(f"{match['date']}T{hour}:{minute}:{second}{zone}")
        if next_day:
            parsed += timedelta(days=1)
        parsed = parsed.astimezone(UTC)
    except (ValueError, OverflowError) as error:
        raise TimestampError(f"not a valid date and time ({error})", value) from None
    if not EARLIEST <= parsed <= LATEST:
        raise TimestampError(_OUT_OF_RANGE, value)
    return parsed


_OUT_OF_RANGE = (
    f"outside the instants the pack handles, {EARLIEST.replace(tzinfo=None).isoformat()}Z "
    f"to {LATEST.replace(tzinfo=None).isoformat()}Z"
)


def to_wire(moment: datetime) -> str:
    """Format an aware datetime the way Clockify accepts and returns it; the pack and the
    sandbox both write instants with this."""
    # isoformat, unlike strftime's %Y, pads years below 1000 to four digits.
    try:
        utc = moment.astimezone(UTC)
    except OverflowError:  # a wall-clock time whose UTC instant falls outside years 1-9999
        raise TimestampError(_OUT_OF_RANGE, moment.isoformat()) from None
    return utc.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def format_duration(seconds: int) -> str:
    """Java's `Duration.toString()`, which Clockify sends: `PT1H30M`, `PT0S`, `PT26H5S`."""
    if seconds == 0:
        return "PT0S"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{value}{unit}" for value, unit in ((hours, "H"), (minutes, "M"), (secs, "S")) if value
    ]
    return "PT" + "".join(parts)
