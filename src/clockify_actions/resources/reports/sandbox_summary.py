"""The summary report: the entries of `sandbox_detailed` grouped up to three levels deep.

Shapes follow docs/clockify-api.md §24.4, as part 3 of Clockify's API facts corrects it
(§29.1 item 3): rows are not all
alike. A PROJECT row is the recorded one (`_id, name, nameLowerCase, color, clientName,
currency, workspaceCurrencyCode, duration, amount, amounts`); DATE rows carry only
`duration, _id, name, children, amounts`; USER rows add `hasMembership`, `nameLowerCase` and
`sortingField`; TIMEENTRY rows have an object `_id`. The totals row carries
`numOfCurrencies` and `totalAmountByCurrency`. Where live behaviour is unknown, the choice
made is said in a comment.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from clockify_actions.resources.reports.sandbox_detailed import (
    Entry,
    Lookup,
    entries_of,
    number,
    totals,
    zones,
)
from clockify_actions.sandbox._call import Body, Call
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._errors import ApiError
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._store import dump

_REPORTS = "com.clockify.reports.filter"
_SUMMARY_BODY = Body(f"{_REPORTS}.SummaryReportFilterV1", f"{_REPORTS}.SummaryReportFilterV1")
_GROUPS = ("PROJECT", "CLIENT", "USER", "TASK", "TAG", "DATE", "WEEK", "MONTH", "TIMEENTRY")
_MAX_GROUPS = 3
# Rows of these groups are the minimal DATE row (§29.1 item 3). WEEK and MONTH rows were
# never recorded: that they look like DATE rows is INFERRED.
_MINIMAL = {"DATE", "WEEK", "MONTH", "TIMEENTRY", "USER"}


def _without(what: str) -> Doc:
    return {"_id": "", "name": f"Without {what}"}


def _day(entry: Entry, zone: ZoneInfo) -> str:
    return entry.start.astimezone(zone).date().isoformat()  # the day in the request's zone


def _keys(group: str, entry: Entry, lookup: Lookup, zone: ZoneInfo) -> list[Doc]:
    """The groups of one kind an entry falls in: one, or one per tag. An entry without a
    project, client, task or tag falls in a group with `_id` "" (its name is a choice)."""
    doc = entry.doc
    if group == "PROJECT":
        project = lookup.projects.get(doc["projectId"] or "")
        if project is None:
            return [{"_id": "", "name": "Without project", "color": "", "clientName": ""}]
        return [
            {
                "_id": project["id"],
                "name": project["name"],
                "color": project["color"],
                "clientName": project["clientName"],
            }
        ]
    if group == "CLIENT":
        client = lookup.clients.get(lookup.client_id(doc) or "")
        return [{"_id": client["id"], "name": client["name"]} if client else _without("client")]
    if group == "USER":
        user = lookup.users[doc["userId"]]
        return [{"_id": user["id"], "name": user["name"]}]
    if group == "TASK":
        task = lookup.tasks.get(doc["taskId"] or "")
        return [{"_id": task["id"], "name": task["name"]} if task else _without("task")]
    if group == "TAG":
        tags = [lookup.tags[tag] for tag in doc["tagIds"] or [] if tag in lookup.tags]
        return [{"_id": tag["id"], "name": tag["name"]} for tag in tags] or [_without("tag")]
    day = _day(entry, zone)
    if group == "WEEK":  # the week's Monday (INFERRED: live's key for a week is unrecorded)
        monday = entry.start.astimezone(zone).date()
        day = (monday - timedelta(days=monday.weekday())).isoformat()
    elif group == "MONTH":  # INFERRED, as WEEK
        day = day[:7]
    elif group == "TIMEENTRY":
        # The recorded `_id` names the day, the user and the description (§29.1 item 3).
        key = {"DATE": day, "USER": doc["userId"], "TIMEENTRY": doc["description"]}
        return [{"_id": key, "name": doc["description"]}]
    return [{"_id": day, "name": day}]


def _row(group: str, key: Doc, inside: list[Entry], currency: str) -> Doc:
    amount = sum(entry.amount for entry in inside)
    amounts = [{"type": "EARNED", "value": number(round(amount))}]
    seconds = sum(entry.seconds for entry in inside)
    if group not in _MINIMAL:
        return {
            "_id": key["_id"],
            "name": key["name"],
            "nameLowerCase": key["name"].lower(),  # in the recorded row's order (§24.4)
            **key,
            "currency": currency,
            "workspaceCurrencyCode": currency,
            "duration": seconds,
            "amount": number(amount),
            "amounts": amounts,
        }
    row: Doc = {"duration": seconds, "_id": key["_id"], "name": key["name"], "amounts": amounts}
    if group == "USER":
        # Whether a user row's `hasMembership` is ever false is unrecorded.
        row.update(hasMembership=True, nameLowerCase=key["name"].lower(), sortingField="1-name")
    return row


def _grouped(
    entries: list[Entry], groups: list[str], lookup: Lookup, zone: ZoneInfo, currency: str
) -> list[Doc]:
    members: dict[str, tuple[Doc, list[Entry]]] = {}
    for entry in entries:
        for key in _keys(groups[0], entry, lookup, zone):
            members.setdefault(dump(key["_id"]), (key, []))[1].append(entry)
    result = []
    for key, inside in members.values():
        row = _row(groups[0], key, inside, currency)
        if groups[1:]:
            row["children"] = _grouped(inside, groups[1:], lookup, zone, currency)
        result.append(row)
    # Clockify's default order (sortColumn GROUP) is by name (LIKELY).
    return sorted(result, key=lambda row: (row["name"].lower(), dump(row["_id"])))


def _groups(data: Doc) -> list[str]:
    spec = data.get("summaryFilter")
    if not isinstance(spec, dict):
        raise ApiError(400, "summaryFilter: must not be null", 501)  # live wording unknown
    groups = spec.get("groups") or ["PROJECT"]
    if not isinstance(groups, list) or any(
        not isinstance(group, str) or group not in _GROUPS for group in groups
    ):
        raise ApiError(400, "Invalid group name", 501)  # §24.2; the code is unrecorded
    if len(groups) > _MAX_GROUPS:
        raise ApiError(400, f"At most {_MAX_GROUPS} groups are allowed", 501)  # wording unknown
    return groups


def _summary_totals(entries: list[Entry], currency: str) -> list[Doc | None]:
    """The detailed totals plus the currencies (§29.1 item 3). When nothing earns:
    `totalAmount` null, `amounts` [] and `totalAmountByCurrency` an empty object."""
    (row,) = totals(entries)
    if row is None:
        return [None]
    earned = sum(entry.amount for entry in entries)
    by_currency: Doc | list[Doc] = (
        [{"currency": currency, "amount": number(earned)}] if earned else {}
    )
    return [
        {
            **{key: row[key] for key in ("_id", "totalTime", "totalBillableTime", "entriesCount")},
            # One workspace currency in the sandbox; 0 when nothing earns is INFERRED.
            "numOfCurrencies": 1 if earned else 0,
            "totalAmount": row["totalAmount"] if earned else None,
            "amounts": row["amounts"] if earned else [],
            "totalAmountByCurrency": by_currency,
        }
    ]


def summary_report(call: Call) -> Response:
    return Response.json(200, dump(summary(call, call.json(_SUMMARY_BODY))))


def summary(call: Call, data: Doc) -> Doc:
    """The summary report of the filter `data`, in the workspace of `call`."""
    groups = _groups(data)
    zone = zones(call, data).local
    lookup = Lookup(call)
    entries = entries_of(call, data, zone, lookup)
    currency = call.workspace["hourlyRate"]["currency"]
    grouped = _grouped(entries, groups, lookup, zone, currency)
    group_totals: Doc = {"groupOneTotalCount": len(grouped)}
    if len(groups) > 1:
        group_totals["groupTwoTotalCount"] = sum(len(group["children"]) for group in grouped)
    report = {
        "totals": _summary_totals(entries, currency),
        "donutChart": [],
        "groupTotals": group_totals,
        "groupOne": grouped,
    }
    return report
