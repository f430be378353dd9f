import re
from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.time_off.helpers import request_output, requests_path
from clockify_actions.resources.time_off.wire import TimeOffRequest
from clockify_actions.timeutil import parse_timestamp, to_wire

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _days_period(params: dict[str, Any]) -> dict[str, Any]:
    """A DAYS policy's period: the first day as a date, and how many days."""
    days = params.get("days", 1 if params.get("half_day") else None)
    if days is None:
        raise invalid("/days", "a start date needs days, e.g. 3 (or end and a start time)")
    return {"start": params["start"], "days": days}


def _hours_period(params: dict[str, Any]) -> dict[str, Any]:
    """An HOURS policy's period: two instants, without fractions of a second, which
    Clockify refuses here ("invalid date format")."""
    if "days" in params or params.get("half_day"):
        raise invalid("/start", "days and half days take start as a date, e.g. 2026-04-22")
    if "end" not in params:
        raise invalid("/end", "a start time needs end, e.g. 2026-04-22T12:00:00Z")
    try:
        start = parse_timestamp(params["start"])
    except ValueError:
        raise invalid(
            "/start", "must be a date (2026-04-22) or a timestamp (2026-04-22T08:00:00Z)"
        ) from None
    end = parse_timestamp(params["end"])
    if end <= start:
        raise invalid("/end", "must be after start")
    return {"start": to_wire(start), "end": to_wire(end)}


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    if "half_day_period" in params and not params.get("half_day"):
        raise invalid("/half_day_period", "needs half_day true")
    if params.get("days", 1) > 999:
        raise invalid("/days", "must be at most 999")
    if "days" in params and "end" in params:
        raise invalid("/end", "give days (a DAYS policy) or end (an HOURS policy), not both")
    # The shape says the unit: a date for a DAYS policy, instants for an HOURS one.
    by_day = bool(_DATE.fullmatch(params["start"]))
    period: dict[str, Any] = {"period": _days_period(params) if by_day else _hours_period(params)}
    if params.get("half_day"):
        period["isHalfDay"] = True
        period["halfDayPeriod"] = params.get("half_day_period", "NOT_DEFINED")
    body: dict[str, Any] = {"timeOffPeriod": period}
    if "note" in params:
        body["note"] = params["note"]
    workspace_id, policy_id = params["workspace_id"], params["policy_id"]
    if "user_id" in params:
        path = client.path(
            "workspaces", workspace_id, "time-off", "policies", policy_id,
            "users", params["user_id"], "requests",
        )  # fmt: skip
    else:
        path = requests_path(client, workspace_id, policy_id)
    return request_output(client.post(path, body, TimeOffRequest))
