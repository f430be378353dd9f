"""Clockify's wire formats for instants and durations."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from clockify_actions.timeutil import format_duration, to_wire

# Jackson accepts an ISO offset date-time: optional seconds, any fraction, `Z` or an offset.
# A zone-less value is rejected, as Clockify rejects it.
_INSTANT = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(?:\.\d{1,9})?)?(Z|[+-]\d\d:?\d\d)"
)
# Java's ZoneOffset, which Jackson parses offsets into, spans -18:00 to +18:00.
_MAX_OFFSET = timedelta(hours=18)


def parse_instant(text: str) -> datetime | None:
    """The UTC instant `text` names, fraction dropped; None when it is not a valid date-time,
    including one that leaves Clockify's 0001-01-01..9999-12-31 once its offset is applied."""
    match = _INSTANT.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    offset = timedelta()
    if zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        if int(digits[2:]) > 59:
            return None
        offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        if abs(offset) > _MAX_OFFSET:
            return None
    try:
        local = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=UTC
        )
        return local - offset
    except (ValueError, OverflowError):
        return None


# Instants are written by the pack's one formatter, so the two can never disagree.
format_instant = to_wire

__all__ = ["format_duration", "format_instant", "parse_instant", "truncate"]


def truncate(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)
