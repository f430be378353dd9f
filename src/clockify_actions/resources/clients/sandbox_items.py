"""One client: read, replaced (archived by a replace) and deleted (docs/clockify-api.md
§15.3, and part 3 of Clockify's API facts, §32.1).

- `GET /clients/{id}` → 200, the 10-key client; an id not of the workspace → 400 "Client
  doesn't belong to Workspace" (LIKELY, by analogy with projects and tags).
- `PUT /clients/{id}` replaces the whole client: omitted `ccEmails`, `email`, `address`,
  `note` and `archived` are cleared (the recorded rule for `ccEmails`; INFERRED for the
  others), `currencyId` is honoured (only here), `currencyCode` ignored, more than three
  `ccEmails` → 400 "Number of additional emails must be less than 3". A name over 100
  characters, or an address or note over 3000, is refused as [SPEC]'s `maxLength`s say
  (their wording is unrecorded: Bean Validation's, as on other bodies). Archiving with
  `archive-projects=true` archives its projects too, and `mark-tasks-as-done=true` marks
  their tasks DONE; on a PUT that does not archive, they do nothing (unknown live).
  Renaming shows the new name on its projects (INFERRED).
- `DELETE /clients/{id}` of an active client → 400 "Cannot delete an active client"; an
  archived one → 200 with the client, its name freed. Its projects keep their `clientId`
  and `clientName` (unknown live).

PUT and DELETE answer with the spec's `ClientDtoV1`, which has no `currencyCode` (their
key sets were never recorded; GET's is the 10-key `ClientWithCurrencyDtoV1`).
"""

from __future__ import annotations

import json

from clockify_actions.sandbox._call import (
    ADAPTERS,
    AUTH,
    Body,
    Call,
    boolean_field,
    string_field,
    strings_field,
)
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._errors import ApiError, not_belonging
from clockify_actions.sandbox._events import emit
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._params import flag
from clockify_actions.sandbox._store import dump, name_key

_UPDATE_BODY = Body(
    f"{ADAPTERS}.requests.UpdateClientRequestV1",
    f"public {ADAPTERS}.dto.ClientWithCurrencyDtoV1 {ADAPTERS}.client.ClientHttpAdapter.update("
    f"java.lang.String,java.lang.String,{ADAPTERS}.requests.UpdateClientRequestV1,"
    f"java.lang.Boolean,java.lang.Boolean,{AUTH})",
)
_MAX_CC_EMAILS = 3
_MAX_NAME, _MAX_TEXT = 100, 3000  # [SPEC] `UpdateClientRequestV1`


def _stored(call: Call) -> Doc:
    row = call.db.execute(
        "SELECT doc FROM clients WHERE id = ? AND workspace_id = ?",
        (call.params["client"], call.params["workspace"]),
    ).fetchone()
    if row is None:
        raise not_belonging("Client")
    doc: Doc = json.loads(row[0])
    return doc


def get_client(call: Call) -> Response:
    return Response.json(200, dump(_stored(call)))


def _currency(call: Call, data: Doc, doc: Doc) -> Doc:
    currency_id = string_field(data, "currencyId")
    if currency_id is None:
        return {"id": doc["currencyId"], "code": doc["currencyCode"]}
    for currency in call.workspace["currencies"]:
        if currency["id"] == currency_id:
            return dict(currency)
    # The live answer to a currency not of the workspace is unknown.
    raise ApiError(400, "Currency doesn't belong to Workspace", 501)


def _cascade(call: Call, client_id: str) -> None:
    """What archiving a client does to its projects, as the query asks (§32.1)."""
    archive_projects = flag(call, "archive-projects")
    done = flag(call, "mark-tasks-as-done")
    rows = call.db.execute(
        "SELECT id, doc FROM projects WHERE workspace_id = ?"
        " AND json_extract(doc, '$.clientId') = ?",
        (call.params["workspace"], client_id),
    ).fetchall()
    for project_id, text in rows:
        if archive_projects:
            project = json.loads(text)
            project["archived"] = True
            call.db.execute(
                "UPDATE projects SET archived = 1, doc = ? WHERE id = ?",
                (dump(project), project_id),
            )
        if done:
            for task_id, task_text in call.db.execute(
                "SELECT id, doc FROM tasks WHERE project_id = ?", (project_id,)
            ).fetchall():
                task = json.loads(task_text)
                task["status"] = "DONE"
                call.db.execute(
                    "UPDATE tasks SET status = 'DONE', doc = ? WHERE id = ?", (dump(task), task_id)
                )


def _rename_on_projects(call: Call, client_id: str, name: str) -> None:
    rows = call.db.execute(
        "SELECT id, doc FROM projects WHERE json_extract(doc, '$.clientId') = ?", (client_id,)
    ).fetchall()
    for project_id, text in rows:
        project = json.loads(text)
        project["clientName"] = name
        call.db.execute("UPDATE projects SET doc = ? WHERE id = ?", (dump(project), project_id))


def _refuse_too_long(data: Doc, name: str) -> None:
    for field, value, most in (
        ("name", name, _MAX_NAME),
        ("address", string_field(data, "address"), _MAX_TEXT),
        ("note", string_field(data, "note"), _MAX_TEXT),
    ):
        if value is not None and len(value) > most:
            raise ApiError(400, f"{field}: size must be between 0 and {most}", 501)  # unrecorded


def update_client(call: Call) -> Response:
    doc = _stored(call)
    data = call.json(_UPDATE_BODY)
    name = (string_field(data, "name") or "").strip()
    if not name:
        raise ApiError(400, "Client name is required", 501)  # as on create
    _refuse_too_long(data, name)
    taken = call.db.execute(
        "SELECT 1 FROM clients WHERE workspace_id = ? AND name_key = ? AND id != ?",
        (call.params["workspace"], name_key(name), doc["id"]),
    ).fetchone()
    if taken:
        raise ApiError(400, f"Client with name '{name}' already exists", 501)
    cc_emails = strings_field(data, "ccEmails")
    if cc_emails is not None and len(cc_emails) > _MAX_CC_EMAILS:
        raise ApiError(400, "Number of additional emails must be less than 3", 501)
    currency = _currency(call, data, doc)
    archived = bool(boolean_field(data, "archived"))
    doc.update(
        name=name,
        email=string_field(data, "email"),
        archived=archived,
        address=string_field(data, "address"),
        note=string_field(data, "note"),
        currencyId=currency["id"],
        currencyCode=currency["code"],
        ccEmails=cc_emails,
    )
    call.db.execute(
        "UPDATE clients SET name_key = ?, archived = ?, doc = ? WHERE id = ?",
        (name_key(name), archived, dump(doc), doc["id"]),
    )
    _rename_on_projects(call, doc["id"], name)
    if archived:
        _cascade(call, doc["id"])
    emit(call, "CLIENT_UPDATED", doc)
    return Response.json(200, dump(_without_currency_code(doc)))


def delete_client(call: Call) -> Response:
    doc = _stored(call)
    if not doc["archived"]:
        # The `code` was not recorded (LIKELY 501, §32.1).
        raise ApiError(400, "Cannot delete an active client", 501)
    call.db.execute("DELETE FROM clients WHERE id = ?", (doc["id"],))
    emit(call, "CLIENT_DELETED", doc)
    return Response.json(200, dump(_without_currency_code(doc)))


def _without_currency_code(doc: Doc) -> Doc:
    return {key: value for key, value in doc.items() if key != "currencyCode"}
