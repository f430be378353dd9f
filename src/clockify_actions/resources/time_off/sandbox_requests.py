"""Time-off requests: submitted (for oneself, or by an admin for a member), approved or
rejected, withdrawn while pending, and searched (docs/clockify-api.md §30.2).

- `POST /policies/{p}/requests` and `…/users/{u}/requests` → **200** (not 201), the full
  request: PENDING when the policy requires approval, else APPROVED at once (INFERRED from
  the help page's "automatically approved"). The period's shape follows the policy's unit:
  DAYS `{start: <date>, days: 1..999}` (an `end` → 400 "Value for number of days is not
  allowed"); HOURS `{start, end}` as RFC 3339 without a fraction (a `.000Z` → 400 "invalid
  date format"). A start or end on a day the workspace does not work → 400 "Requested
  start or end date are non-working days". The stored period is `{start, end}` in UTC,
  from the user's zone: a DAYS request runs from the first day's midnight to 23:59 of the
  last (as the live `2026-04-21T22:00:00Z`..`2026-04-24T21:59:00Z` for UTC+2).
- `balanceDiff` is what the request takes, in the policy's unit: the working days of the
  period (half a day for a half-day request), or its hours (INFERRED: the live request's
  three weekdays took 3.0). `balance` is the user's balance when answered (INFERRED).
- Approving takes `balanceDiff` from the balance (into `used`); rejecting an approved
  request gives it back (an APPROVED request can be REJECTED, CONFIRMED-LIVE(1)).
- `PATCH /policies/{p}/requests/{r} {status, note?}` → 200, the short request; the status
  is APPROVED or REJECTED only.
- `DELETE` → 200, the short request as it was, and only while PENDING; the request is gone
  from the search afterwards (INFERRED; the withdrawn webhook's sample body still says
  PENDING, as this answer does). The refusal's words for another state are unrecorded.
- `POST /time-off/requests` searches: `{page ≤1000, pageSize 1..200, start, end,
  statuses, users, userGroups}` → `{count, requests}`, `count` the whole match. `statuses`
  takes PENDING, APPROVED, REJECTED or ALL (WITHDRAWN → 400 code 501 "Value must be from
  the following set"). No policy filter. A member sees their own requests, an admin
  everyone's (INFERRED). Newest first (INFERRED).
- Unknown: overlapping requests, requests over the balance, requests by non-assignees,
  on an archived policy, and moving a REJECTED request back to APPROVED (the sandbox takes
  them all, as it has no recorded refusal to give).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from clockify_actions.resources.time_off.sandbox_shared import (
    balance_of,
    is_admin,
    move_balance,
    require_admin,
    save_request,
    stored_policy,
    stored_request,
    user_of,
)
from clockify_actions.sandbox._call import ADAPTERS, AUTH, Body, Call
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._errors import ApiError, body_error
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._store import dump
from clockify_actions.sandbox._time import format_instant, parse_instant

_REQUESTS = f"{ADAPTERS}.requests.timeoff"
_CREATE = Body(
    f"{_REQUESTS}.CreateTimeOffRequestV1Request",
    f"public {ADAPTERS}.dto.TimeOffRequestFullV1Dto {ADAPTERS}.timeoff.TimeOffHttpAdapter"
    f".create(java.lang.String,java.lang.String,{_REQUESTS}.CreateTimeOffRequestV1Request,{AUTH})",
)
_STATUS = Body(
    f"{_REQUESTS}.StatusTimeOffRequestV1Request",
    f"public {ADAPTERS}.dto.TimeOffRequestV1Dto {ADAPTERS}.timeoff.TimeOffHttpAdapter"
    f".changeStatus(java.lang.String,java.lang.String,java.lang.String,"
    f"{_REQUESTS}.StatusTimeOffRequestV1Request,{AUTH})",
)
_SEARCH = Body(
    f"{_REQUESTS}.GetTimeOffRequestsV1Request",
    f"public {ADAPTERS}.dto.TimeOffRequestsWithCountV1Dto {ADAPTERS}.timeoff"
    f".TimeOffHttpAdapter.search(java.lang.String,{_REQUESTS}.GetTimeOffRequestsV1Request,{AUTH})",
)
_DATE = re.compile(r"\d{4}-\d\d-\d\d")
# RFC 3339 to the second: a fraction is refused live ("invalid date format").
_HOURS_INSTANT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)")
_SEARCHABLE = ("PENDING", "APPROVED", "REJECTED", "ALL")
_HALVES = ("FIRST_HALF", "SECOND_HALF", "NOT_DEFINED")
_SHORT_KEYS = (
    "id",
    "workspaceId",
    "policyId",
    "userId",
    "timeOffPeriod",
    "note",
    "status",
    "balanceDiff",
    "createdAt",
)


def _null() -> ApiError:
    return ApiError(400, "must not be null", 501)


def _invalid_date() -> ApiError:
    return ApiError(400, "invalid date format", 501)


def _zone(user: Doc) -> ZoneInfo:
    name = (user.get("settings") or {}).get("timeZone") or "UTC"
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _working(call: Call, day: date) -> bool:
    days = call.workspace.get("workspaceSettings", {}).get("workingDays")
    if days is None:
        return True
    return day.strftime("%A").upper() in days


def _period(call: Call, policy: Doc, user: Doc, data: Doc) -> tuple[Doc, float]:
    """The stored `timeOffPeriod` and what it takes from the balance."""
    period_of = data.get("timeOffPeriod")
    if period_of is None:
        raise _null()
    if not isinstance(period_of, dict):
        raise body_error(f"{_REQUESTS}.TimeOffRequestPeriodV1Request", period_of)
    span = period_of.get("period")
    if span is None:
        raise _null()
    if not isinstance(span, dict):
        raise body_error(f"{ADAPTERS}.requests.PeriodV1Request", span)
    half_day = period_of.get("isHalfDay") is True
    half = period_of.get("halfDayPeriod") or "NOT_DEFINED"
    if half not in _HALVES:
        raise body_error("TimeOffHalfDayPeriod", half)
    zone = _zone(user)
    start_text = span.get("start")
    if not isinstance(start_text, str):
        raise _null() if start_text is None else _invalid_date()
    if policy["timeUnit"] == "DAYS":
        if span.get("end") is not None:
            raise ApiError(400, "Value for number of days is not allowed", 501)
        days = span.get("days")
        if days is None:
            raise _null()
        if isinstance(days, bool) or not isinstance(days, int):
            raise body_error("java.lang.Integer", days)
        if not 1 <= days <= 999:
            word = "greater than or equal to 1" if days < 1 else "less than or equal to 999"
            raise ApiError(400, f"must be {word}", 501)  # Bean Validation's words, INFERRED
        if not _DATE.fullmatch(start_text):
            raise _invalid_date()
        try:
            first = date.fromisoformat(start_text)
        except ValueError:
            raise _invalid_date() from None
        last = first + timedelta(days=days - 1)
        begin = datetime.combine(first, datetime.min.time(), zone)
        finish = datetime.combine(last + timedelta(days=1), datetime.min.time(), zone)
        finish -= timedelta(minutes=1)
        taken = sum(_working(call, first + timedelta(days=n)) for n in range(days))
        amount = 0.5 if half_day else float(taken)
    else:
        if span.get("days") is not None:
            # Refused live; the words of the DAYS refusal are used (the HOURS ones are unrecorded).
            raise ApiError(400, "Value for number of days is not allowed", 501)
        end_text = span.get("end")
        if end_text is None:
            raise _null()
        texts = (start_text, end_text)
        if not all(isinstance(t, str) and _HOURS_INSTANT.fullmatch(t) for t in texts):
            raise _invalid_date()
        begin_utc, finish_utc = parse_instant(start_text), parse_instant(str(end_text))
        if begin_utc is None or finish_utc is None:
            raise _invalid_date()
        if finish_utc <= begin_utc:
            raise ApiError(400, "End date must be after start date", 501)  # unrecorded words
        begin, finish = begin_utc.astimezone(zone), finish_utc.astimezone(zone)
        amount = round((finish_utc - begin_utc).total_seconds() / 3600, 2)
    if not (_working(call, begin.date()) and _working(call, finish.date())):
        raise ApiError(400, "Requested start or end date are non-working days", 501)
    stored = {
        "period": {"start": format_instant(begin), "end": format_instant(finish)},
        "halfDay": half_day,
        "halfDayPeriod": half if half_day else "NOT_DEFINED",
        "halfDayHours": None,
    }
    return stored, amount


def _full(call: Call, doc: Doc) -> Doc:
    """The full request, its `balance` as it is now."""
    policy = {"id": doc["policyId"], "workspaceId": doc["workspaceId"]}
    return {**doc, "balance": balance_of(call.db, policy, doc["userId"])[0]}


def _short(doc: Doc) -> Doc:
    return {key: doc[key] for key in _SHORT_KEYS}


def _create(call: Call, user_id: str) -> Response:
    policy = stored_policy(call, call.params["policy"])
    user = user_of(call, user_id)
    requester = user_of(call, call.user_id)
    data = call.json(_CREATE)
    note = data.get("note")
    if note is not None and not isinstance(note, str):
        raise body_error("java.lang.String", note)
    period, amount = _period(call, policy, user, data)
    approved = not policy["approve"]["requiresApproval"]
    now = format_instant(call.now)
    doc = {
        "id": call.new_id(),
        "workspaceId": call.params["workspace"],
        "policyId": policy["id"],
        "policyName": policy["name"],
        "timeUnit": policy["timeUnit"],
        "userId": user_id,
        "userName": user.get("name"),
        "userEmail": user.get("email"),
        "userTimeZone": str(_zone(user)),
        "timeOffPeriod": period,
        "note": note,
        "status": {
            "statusType": "APPROVED" if approved else "PENDING",
            "changedByUserId": call.user_id if approved else None,
            "changedByUserName": requester.get("name"),
            "changedForUserName": user.get("name"),
            "changedAt": now if approved else None,
            "note": None,
        },
        "balanceDiff": amount,
        "createdAt": now,
        "balance": 0.0,
        "requesterUserId": call.user_id,
        "requesterUserName": requester.get("name"),
    }
    if approved:
        move_balance(call, policy, user_id, amount)
    save_request(call.db, doc)
    return Response.json(200, dump(_full(call, doc)))


def create_request(call: Call) -> Response:
    return _create(call, call.user_id)


def create_request_for_user(call: Call) -> Response:
    user_id = call.params["user"]
    if user_id != call.user_id:
        require_admin(call)
    return _create(call, user_id)


def change_request_status(call: Call) -> Response:
    policy = stored_policy(call, call.params["policy"])
    doc = stored_request(call, policy["id"], call.params["request"])
    if not (is_admin(call) or call.user_id in policy["approve"]["userIds"]):
        raise ApiError(403, "Access Denied", 501)
    data = call.json(_STATUS)
    status, note = data.get("status"), data.get("note")
    if status is None:
        raise _null()
    if status not in ("APPROVED", "REJECTED"):
        raise body_error("TimeOffRequestStatusType", status)
    if note is not None and not isinstance(note, str):
        raise body_error("java.lang.String", note)
    was = doc["status"]["statusType"]
    if was != status:
        if status == "APPROVED":
            move_balance(call, policy, doc["userId"], doc["balanceDiff"])
        elif was == "APPROVED":
            move_balance(call, policy, doc["userId"], -doc["balanceDiff"])
    changer = user_of(call, call.user_id)
    doc["status"].update(
        statusType=status,
        changedByUserId=call.user_id,
        changedByUserName=changer.get("name"),
        changedAt=format_instant(call.now),
        note=note,
    )
    save_request(call.db, doc)
    return Response.json(200, dump(_short(doc)))


def delete_request(call: Call) -> Response:
    policy = stored_policy(call, call.params["policy"])
    doc = stored_request(call, policy["id"], call.params["request"])
    if call.user_id not in (doc["userId"], doc["requesterUserId"]):
        require_admin(call)
    if doc["status"]["statusType"] != "PENDING":
        raise ApiError(400, "Only a pending request can be withdrawn", 501)  # unrecorded words
    call.db.execute("DELETE FROM time_off_requests WHERE id = ?", (doc["id"],))
    return Response.json(200, dump(_short(doc)))


def _ids(data: Doc, key: str) -> list[str]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise body_error("java.util.Set<java.lang.String>", value)
    return value


def _bounded(data: Doc, key: str, default: int, low: int, high: int) -> int:
    value = data.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise body_error("java.lang.Integer", value)
    if not low <= value <= high:
        word = f"greater than or equal to {low}" if value < low else f"less than or equal to {high}"
        raise ApiError(400, f"must be {word}", 501)  # Bean Validation's words, INFERRED
    return value


def _instant(data: Doc, key: str) -> datetime | None:
    value = data.get(key)
    if value is None:
        return None
    moment = parse_instant(value) if isinstance(value, str) else None
    if moment is None:
        raise body_error("java.time.Instant", value)
    return moment


def search_requests(call: Call) -> Response:
    data = call.json(_SEARCH)
    number = _bounded(data, "page", 1, 1, 1000)
    size = _bounded(data, "pageSize", 50, 1, 200)
    statuses = _ids(data, "statuses")
    if any(status not in _SEARCHABLE for status in statuses):
        raise ApiError(400, f"Value must be from the following set: {', '.join(_SEARCHABLE)}", 501)
    users = _ids(data, "users")
    _ids(data, "userGroups")  # read, and matched by nobody: the sandbox has no groups
    start, end = _instant(data, "start"), _instant(data, "end")
    where = ["workspace_id = ?"]
    args: list[Any] = [call.params["workspace"]]
    if statuses and "ALL" not in statuses:
        where.append(f"status IN ({', '.join('?' * len(statuses))})")
        args.extend(statuses)
    if users:
        where.append(f"user_id IN ({', '.join('?' * len(users))})")
        args.extend(users)
    if not is_admin(call):
        where.append("user_id = ?")
        args.append(call.user_id)
    rows = call.db.execute(
        f"SELECT doc FROM time_off_requests WHERE {' AND '.join(where)} ORDER BY id DESC",
        tuple(args),
    ).fetchall()
    found = [json.loads(doc) for (doc,) in rows]
    found = [doc for doc in found if _overlaps(doc, start, end)]
    chosen = found[(number - 1) * size : number * size]
    body = {"count": len(found), "requests": [_full(call, doc) for doc in chosen]}
    return Response.json(200, dump(body))


def _overlaps(doc: Doc, start: datetime | None, end: datetime | None) -> bool:
    period = doc["timeOffPeriod"]["period"]
    begin, finish = parse_instant(period["start"]), parse_instant(period["end"])
    assert begin is not None and finish is not None
    return (end is None or begin <= end) and (start is None or finish >= start)
