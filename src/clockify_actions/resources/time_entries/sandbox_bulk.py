"""A user's time entries edited, deleted or copied several at a time, and the invoiced flag
(Clockify's API facts, part 3, §33.2 to §33.5).

- `PUT …/user/{uid}/time-entries` takes a JSON **array** (anything else → 400 code 3002),
  each item `{id, start, end, …}` replacing its entry as the single PUT does (per-item
  omission is unknown live: INFERRED from §13.2) → 200, an array; `hydrated=true` adds the
  embedded objects. One bad item fails the whole batch (unknown live).
- `DELETE …/user/{uid}/time-entries?time-entry-ids=a,b` (comma-joined or repeated) → 200, an
  array of the deleted entries; no ids → 400 code 3001; one id not of the user's entries
  fails the whole call (unknown live). One `TIME_ENTRY_DELETED` per entry (INFERRED).
- `POST …/user/{uid}/time-entries/{id}/duplicate` → 201, a copy with a new id: the same
  interval, description, project, task, tags and billable flag (INFERRED, §33.3).
- `PATCH /time-entries/invoiced {invoiced, timeEntryIds}` → 200 with an empty body; the flag
  stays off the entries' documents, as live keeps it (§33.5). The sandbox does not keep it.
"""

from __future__ import annotations

import json

from clockify_actions.resources.projects.sandbox_collection import add_tracked_time
from clockify_actions.resources.time_entries.sandbox_read import (
    hydrate,
    remove_entry,
    replace_entry,
)
from clockify_actions.resources.time_entries.sandbox_rights import (
    check_unlocked,
    check_writes_for,
)
from clockify_actions.resources.time_entries.sandbox_writes import insert_time_entries
from clockify_actions.sandbox import _docs
from clockify_actions.sandbox._call import ADAPTERS, AUTH, Body, Call, boolean_field, strings_field
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._errors import ApiError, body_error, not_belonging
from clockify_actions.sandbox._events import emit
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._params import flag
from clockify_actions.sandbox._store import dump

_BULK_BODY = Body(
    f"java.util.List<{ADAPTERS}.requests.UpdateTimeEntryBulkRequest>",
    f"public java.util.List {ADAPTERS}.timeentry.TimeEntryHttpAdapter.replaceMany("
    f"java.lang.String,java.lang.String,java.util.List,boolean,{AUTH})",
)
_INVOICED_BODY = Body(
    f"{ADAPTERS}.requests.UpdateInvoicedStatusRequest",
    f"public void {ADAPTERS}.timeentry.TimeEntryHttpAdapter.updateInvoicedStatus("
    f"java.lang.String,{ADAPTERS}.requests.UpdateInvoicedStatusRequest,{AUTH})",
)


def _entry_of(call: Call, entry_id: object, user_id: str | None) -> Doc:
    """An entry of the path's workspace (and, when given, of the user)."""
    row = call.db.execute(
        "SELECT doc FROM time_entries WHERE id = ? AND workspace_id = ?"
        " AND (? IS NULL OR user_id = ?)",
        (entry_id, call.params["workspace"], user_id, user_id),
    ).fetchone()
    if row is None:
        raise not_belonging("Time entry")
    doc: Doc = json.loads(row[0])
    return doc


def _bulk_items(call: Call) -> list[Doc]:
    """The body as Jackson reads a list: `[`…`]` of objects, at least one (the spec's minItems)."""
    items = call.json_value(_BULK_BODY)
    if not isinstance(items, list):
        raise body_error(
            f"java.util.ArrayList<{ADAPTERS}.requests.UpdateTimeEntryBulkRequest>", items
        )
    if not items:
        raise ApiError(400, "size must be between 1 and 2147483647", 501)  # unrecorded wording
    for item in items:
        if not isinstance(item, dict):
            raise body_error(f"{ADAPTERS}.requests.UpdateTimeEntryBulkRequest", item)
    return items


def replace_many(call: Call) -> Response:
    user_id = call.member(call.params["user"])
    check_writes_for(call, user_id)
    hydrated = flag(call, "hydrated")
    replaced = []
    for item in _bulk_items(call):
        if not item.get("id"):
            raise ApiError(400, "id: must not be empty", 501)  # required; unrecorded wording
        entry = replace_entry(call, _entry_of(call, item["id"], user_id), item, per_user_route=True)
        replaced.append(
            hydrate(call, entry, with_user=True) if hydrated else _docs.without_rates(entry)
        )
    return Response.json(200, dump(replaced))


def delete_many(call: Call) -> Response:
    user_id = call.member(call.params["user"])
    check_writes_for(call, user_id)
    ids = [part for raw in call.query.get("time-entry-ids", []) for part in raw.split(",") if part]
    if not ids:
        raise ApiError(
            400,
            "Required request parameter 'time-entry-ids' for method parameter type List is not"
            " present",
            3001,
        )
    deleted = []
    for entry_id in dict.fromkeys(ids):
        entry = _entry_of(call, entry_id, user_id)
        remove_entry(call, entry)
        deleted.append(_docs.without_rates(entry))
    return Response.json(200, dump(deleted))


def duplicate_entry(call: Call) -> Response:
    user_id = call.member(call.params["user"])
    check_writes_for(call, user_id)
    original = _entry_of(call, call.params["entry"], user_id)
    # The copy keeps the original's interval (INFERRED, §33.3), so the lock's rule is the
    # original's; whether live applies it to a duplicate is unknown (INFERRED yes, §33.7).
    check_unlocked(call, original["timeInterval"]["start"])
    copy = {**original, "id": call.new_id()}
    insert_time_entries(call.db, [copy])
    interval = copy["timeInterval"]
    if interval["end"] is not None:
        (seconds,) = call.db.execute(
            "SELECT CAST(round((julianday(?) - julianday(?)) * 86400) AS INTEGER)",
            (interval["end"], interval["start"]),
        ).fetchone()
        add_tracked_time(call.db, copy["projectId"], seconds)
    emit(call, "NEW_TIMER_STARTED" if interval["end"] is None else "NEW_TIME_ENTRY", copy)
    return Response.json(201, dump(_docs.without_rates(copy)))


def update_invoiced(call: Call) -> Response:
    data = call.json(_INVOICED_BODY)
    invoiced = boolean_field(data, "invoiced")
    ids = strings_field(data, "timeEntryIds")
    if invoiced is None or ids is None:
        raise ApiError(400, "must not be null", 501)  # required (§33.5); unrecorded wording
    for entry_id in ids:  # unknown ids: unknown live (§41); refused here
        _entry_of(call, entry_id, None)
    return Response(200, b"")
