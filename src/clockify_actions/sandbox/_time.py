"""Clockify's wire formats for instants and durations."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

# Jackson accepts an ISO offset date-time: optional seconds, any fraction, `Z` or an offset.
# A zone-less value is rejected, as Clockify rejects it.
_INSTANT = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(?:\.\d{1,9})?)?(Z|[+-]\d\d:?\d\d)"
)


def parse_instant(text: str) -> datetime | None:
    """The UTC instant `text` names, fraction dropped; None when it is not a valid date-time."""
    match = _INSTANT.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    offset = timedelta()
    if zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    try:
        local = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=UTC
        )
    except ValueError:
        return None
    return local - offset


def format_instant(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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


def truncate(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)
