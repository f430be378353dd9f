"""Timestamps as Clockify writes them: UTC `YYYY-MM-DDTHH:MM:SSZ`, whole seconds."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

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


# A wall-clock time without an offset, read in a time zone the caller names.
_LOCAL_TIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[Tt ]"
    r"(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?P<fraction>[.,]\d+)?)?"
)
EXAMPLE_LOCAL_TIME = "2026-01-28T09:00:00"


def is_local_time(value: object) -> bool:
    """Whether `value` is written as a wall-clock time without an offset (valid or not)."""
    return isinstance(value, str) and _LOCAL_TIME.fullmatch(value) is not None


def parse_local_time(value: str) -> datetime:
    """A wall-clock time without offset as a naive datetime, to whole seconds."""
    match = _LOCAL_TIME.fullmatch(value)
    if match is None:
        raise TimestampError(f"not a local date and time; use e.g. {EXAMPLE_LOCAL_TIME}")
    second = match["second"] or "00"
    try:
        return datetime.fromisoformat(f"{match['date']}T{match['hour']}:{match['minute']}:{second}")
    except ValueError as error:
        raise TimestampError(f"not a valid date and time ({error})") from None


def parse_time_input(value: str) -> datetime:
    """A time input as an action takes it: an ISO 8601 timestamp with a zone (aware, UTC),
    or a wall-clock time without one (naive: its zone is the caller's `time_zone`)."""
    return parse_local_time(value) if is_local_time(value) else parse_timestamp(value)


def time_zone(name: str) -> ZoneInfo:
    """The IANA zone `name`; a TimestampError when there is no such zone."""
    # Imported here: only a local time needs a zone, and every start imports this module.
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise TimestampError(
            f"{name!r} is not a known IANA time zone, e.g. Europe/Berlin or UTC"
        ) from None


def local_to_instant(value: str, zone: ZoneInfo) -> datetime:
    """The instant a wall clock in `zone` shows as `value`, aware and in UTC.

    Daylight saving time makes some wall-clock times ambiguous and others impossible: a
    time the clocks skip (02:30 on a spring-forward night in Europe/Berlin) is refused,
    since no instant has it; a time they show twice (02:30 on the fall-back night) is the
    earlier of its two instants, the first time the clock shows it (still on summer time).
    """
    local = parse_local_time(value)
    earlier = local.replace(tzinfo=zone, fold=0)
    instant = earlier.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local:
        raise TimestampError(
            f"{value} does not exist in {zone.key}: the clocks skip it when daylight saving "
            "time begins; give a time outside the gap, or an offset"
        )
    return instant


def hours(seconds: int) -> float:
    """Seconds as decimal hours, to two places, as timesheets and invoices show them."""
    return round(seconds / 3600, 2)


def local_wire(moment: datetime, zone_name: str | None) -> str | None:
    """`moment` as the wall clock of `zone_name` shows it, with its offset, e.g.
    2026-01-28T10:00:00+01:00; None without a zone this machine knows."""
    if zone_name is None:
        return None
    try:
        zone = time_zone(zone_name)
    except TimestampError:
        return None
    return moment.astimezone(zone).replace(microsecond=0).isoformat()
