"""A workspace's webhooks: listed, read, created, updated, deleted, and their token
regenerated. What they deliver is queued by `sandbox` and sent by the core's `_delivery`;
their logs and statuses are `sandbox_logs`.

Behaviour, messages and codes follow Clockify's live responses (see docs/clockify-api.md
§21); where the live behaviour is unknown, the choice made is said in a comment.
"""

from __future__ import annotations

import hashlib
import json

from clockify_actions.sandbox._call import ADAPTERS, AUTH, Body, Call, string_field, strings_field
from clockify_actions.sandbox._docs import Doc
from clockify_actions.sandbox._errors import ApiError, body_error, not_belonging
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._resources import events
from clockify_actions.sandbox._store import dump

_WEBHOOK_BODY = Body(
    f"{ADAPTERS}.requests.CreateWebhookRequestV1",
    f"public {ADAPTERS}.dto.WebhookDtoV1 {ADAPTERS}.webhook.WebhookHttpAdapter.create("
    f"java.lang.String,{ADAPTERS}.requests.CreateWebhookRequestV1,{AUTH})",
)
_UPDATE_BODY = Body(
    f"{ADAPTERS}.requests.UpdateWebhookRequestV1",
    f"public {ADAPTERS}.dto.WebhookDtoV1 {ADAPTERS}.webhook.WebhookHttpAdapter.update("
    f"java.lang.String,java.lang.String,{ADAPTERS}.requests.UpdateWebhookRequestV1,{AUTH})",
)
SOURCE_TYPES = (
    "PROJECT_ID",
    "USER_ID",
    "TAG_ID",
    "TASK_ID",
    "WORKSPACE_ID",
    "ASSIGNMENT_ID",
    "EXPENSE_ID",
)
# §21.1: Free 3 per workspace; paid plans 10 per user and 100 per workspace.
_FREE_LIMIT, _PAID_USER_LIMIT, _PAID_WORKSPACE_LIMIT = 3, 10, 100


def _hooks(call: Call) -> list[Doc]:
    rows = call.db.execute(
        "SELECT doc FROM webhooks WHERE workspace_id = ? ORDER BY rowid",
        (call.params["workspace"],),
    )
    return [json.loads(doc) for (doc,) in rows]


def stored_webhook(call: Call) -> Doc:
    row = call.db.execute(
        "SELECT doc FROM webhooks WHERE id = ? AND workspace_id = ?",
        (call.params["webhook"], call.params["workspace"]),
    ).fetchone()
    if row is None:
        raise not_belonging("Webhook")
    doc: Doc = json.loads(row[0])
    return doc


def _token(webhook_id: str, previous: str = "") -> str:
    # 32 characters as live; derived, not random, so that a frozen clock gives the same
    # token on every run (recorded fixtures stay byte for byte).
    return hashlib.sha256(f"sandbox-webhook:{webhook_id}:{previous}".encode()).hexdigest()[:32]


def list_webhooks(call: Call) -> Response:
    kind = call.text("type")
    if kind == "SYSTEM":
        # Live answers 500 (§29.2 item 10); its body was not recorded.
        raise ApiError(500, "Internal Server Error", 500)
    # Every webhook made over this API is USER_CREATED; the sandbox holds no add-on ones.
    hooks = [] if kind == "ADDON" else _hooks(call)
    # An object, not an array, and not paginated (§21).
    return Response.json(200, dump({"workspaceWebhookCount": len(hooks), "webhooks": hooks}))


def list_addon_webhooks(call: Call) -> Response:
    """An add-on's webhooks, in the workspace list's wrapper (§38.1). The sandbox installs
    no add-ons, so the list is empty; a malformed id gets the recorded refusal, which has
    no `code` (§21)."""
    addon_id = call.params["addon"]
    if not (len(addon_id) == 24 and all(c in "0123456789abcdefABCDEF" for c in addon_id)):
        body = {"message": "state should be: hexString has 24 characters"}
        return Response.json(400, dump(body))
    return Response.json(200, dump({"workspaceWebhookCount": 0, "webhooks": []}))


def get_webhook(call: Call) -> Response:
    return Response.json(200, dump(stored_webhook(call)))


def _checked(data: Doc, name: str | None) -> Doc:
    """The fields a create or an update sets, refused as Clockify refuses them."""
    if name is not None and not 2 <= len(name) <= 30:
        raise ApiError(400, "length must be between 2 and 30", 501)
    url = string_field(data, "url")
    if not url:
        # The live message is unknown; Bean Validation's for a required field.
        raise ApiError(400, "url: must not be blank", 501)
    event = string_field(data, "webhookEvent")
    if event is None or event not in events():
        raise body_error(f"{ADAPTERS}.webhook.WebhookEventType", event or "")
    source_type = string_field(data, "triggerSourceType") or "WORKSPACE_ID"
    if source_type not in SOURCE_TYPES:
        raise body_error(f"{ADAPTERS}.webhook.TriggerSourceType", source_type)
    return {
        "url": url,
        "webhookEvent": event,
        "triggerSourceType": source_type,
        "triggerSource": strings_field(data, "triggerSource") or [],
    }


def create_webhook(call: Call) -> Response:
    data = call.json(_WEBHOOK_BODY)
    name = string_field(data, "name")
    if name is None:
        # Live's answer to a missing name, odd as it reads (§21).
        raise ApiError(400, "Webhook already exists", 501)
    fields = _checked(data, name)
    hooks = _hooks(call)
    if any(
        h["url"] == fields["url"] and h["webhookEvent"] == fields["webhookEvent"] for h in hooks
    ):
        # What makes two webhooks identical is unknown live (§21): the same URL and event.
        raise ApiError(400, "Webhook already exists", 501)
    free = call.workspace.get("featureSubscriptionType") in (None, "FREE")
    mine = sum(1 for h in hooks if h["userId"] == call.user_id)
    if (
        (free and len(hooks) >= _FREE_LIMIT)
        or len(hooks) >= _PAID_WORKSPACE_LIMIT
        or mine >= _PAID_USER_LIMIT
    ):
        # The live error for one too many is unknown (§21.1); this wording is the sandbox's.
        raise ApiError(400, "Webhook limit reached for this workspace", 501)
    webhook_id = call.new_id()
    doc = {
        "id": webhook_id,
        "userId": call.user_id,
        "workspaceId": call.params["workspace"],
        "name": name,
        "url": fields["url"],
        "authToken": _token(webhook_id),
        **{key: fields[key] for key in ("webhookEvent", "triggerSourceType", "triggerSource")},
        "enabled": True,
        "deliveryEnabled": True,
        "planEnabled": True,
    }
    call.db.execute(
        "INSERT INTO webhooks (id, workspace_id, doc) VALUES (?, ?, ?)",
        (webhook_id, call.params["workspace"], dump(doc)),
    )
    return Response.json(201, dump(doc))


def update_webhook(call: Call) -> Response:
    """`url`, `webhookEvent`, `triggerSourceType` and `triggerSource` are required, `name`
    optional (kept when omitted, INFERRED) → 200, the webhook (§38.1)."""
    doc = stored_webhook(call)
    data = call.json(_UPDATE_BODY)
    name = string_field(data, "name")
    for key in ("webhookEvent", "triggerSourceType", "triggerSource"):
        if data.get(key) is None:
            # Required by the spec; the live wording is unknown (Bean Validation's).
            raise ApiError(400, f"{key}: must not be null", 501)
    doc.update(_checked(data, name), name=doc["name"] if name is None else name)
    call.db.execute("UPDATE webhooks SET doc = ? WHERE id = ?", (dump(doc), doc["id"]))
    return Response.json(200, dump(doc))


def delete_webhook(call: Call) -> Response:
    doc = stored_webhook(call)
    call.db.execute("DELETE FROM webhooks WHERE id = ?", (doc["id"],))
    # The live body is unknown (§21); the deleted webhook, as other deletes answer.
    return Response.json(200, dump(doc))


def new_token(call: Call) -> Response:
    doc = stored_webhook(call)
    doc["authToken"] = _token(doc["id"], doc["authToken"])
    call.db.execute("UPDATE webhooks SET doc = ? WHERE id = ?", (dump(doc), doc["id"]))
    return Response.json(200, dump(doc))
