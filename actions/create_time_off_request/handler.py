import re
from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.time_off.helpers import (
    get_policy,
    request_output,
    requests_path,
)
from clockify_actions.resources.time_off.wire import TimeOffRequest
from clockify_actions.timeutil import parse_timestamp, to_wire

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _days_period(params: dict[str, Any]) -> dict[str, Any]:
    if "end" in params:
        raise invalid("/end", "a DAYS policy takes start and days, not end")
    if not _DATE.fullmatch(params["start"]):
        raise invalid("/start", "a DAYS policy takes start as a date, e.g. 2026-04-22")
    days = params.get("days", 1 if params.get("half_day") else None)
    if days is None:
        raise invalid("/days", "a DAYS policy needs days, e.g. 3")
    return {"start": params["start"], "days": days}


def _hours_period(params: dict[str, Any]) -> dict[str, Any]:
    for name in ("days", "half_day"):
        if name in params:
            raise invalid(f"/{name}", "an HOURS policy takes start and end, not days or half days")
    if "end" not in params:
        raise invalid("/end", "an HOURS policy needs end, e.g. 2026-04-22T12:00:00Z")
    try:
        start = parse_timestamp(params["start"])
    except ValueError:
        raise invalid(
            "/start", "an HOURS policy takes start as a timestamp, e.g. 2026-04-22T08:00:00Z"
        ) from None
    end = parse_timestamp(params["end"])
    if end <= start:
        raise invalid("/end", "must be after start")
    # Clockify refuses fractions of a second here ("invalid date format").
    return {"start": to_wire(start), "end": to_wire(end)}


def _check(params: dict[str, Any]) -> None:
    """What is wrong whatever the policy: refused before anything is sent."""
    if "half_day_period" in params and not params.get("half_day"):
        raise invalid("/half_day_period", "needs half_day true")
    if "days" in params and "end" in params:
        raise invalid("/end", "give days (a DAYS policy) or end (an HOURS policy), not both")
    if not _DATE.fullmatch(params["start"]):
        try:
            parse_timestamp(params["start"])
        except ValueError:
            raise invalid(
                "/start", "must be a date (2026-04-22) or a timestamp (2026-04-22T08:00:00Z)"
            ) from None


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    _check(params)
    workspace_id, policy_id = params["workspace_id"], params["policy_id"]
    policy = get_policy(client, workspace_id, policy_id)
    period: dict[str, Any] = {
        "period": _days_period(params) if policy.time_unit == "DAYS" else _hours_period(params)
    }
    if params.get("half_day"):
        if not policy.allow_half_day:
            raise invalid("/half_day", f"the policy {policy.name} does not allow half days")
        period["isHalfDay"] = True
        period["halfDayPeriod"] = params.get("half_day_period", "NOT_DEFINED")
    body: dict[str, Any] = {"timeOffPeriod": period}
    if "note" in params:
        body["note"] = params["note"]
    if "user_id" in params:
        path = client.path(
            "workspaces", workspace_id, "time-off", "policies", policy_id,
            "users", params["user_id"], "requests",
        )  # fmt: skip
    else:
        path = requests_path(client, workspace_id, policy_id)
    return request_output(client.post(path, body, TimeOffRequest))
