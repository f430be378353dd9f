"""Clockify's webhook, as one and as the list send it."""

from __future__ import annotations

from pydantic import Field

from clockify_actions.clockify.models import Wire


class Webhook(Wire):
    """`WebhookDtoV1` (docs/clockify-api.md §21)."""

    id: str
    name: str | None = None
    url: str
    webhook_event: str = Field(alias="webhookEvent")
    trigger_source_type: str | None = Field(default=None, alias="triggerSourceType")
    trigger_source: list[str] | None = Field(default=None, alias="triggerSource")
    auth_token: str | None = Field(default=None, alias="authToken")
    enabled: bool | None = None
    delivery_enabled: bool | None = Field(default=None, alias="deliveryEnabled")
    plan_enabled: bool | None = Field(default=None, alias="planEnabled")
    workspace_id: str | None = Field(default=None, alias="workspaceId")
    user_id: str | None = Field(default=None, alias="userId")


class Webhooks(Wire):
    """`GET /webhooks`: an object, not an array, and not paginated (§21)."""

    workspace_webhook_count: int | None = Field(default=None, alias="workspaceWebhookCount")
    webhooks: list[Webhook]


class WebhookLog(Wire):
    """One delivery attempt, as `POST …/webhooks/{id}/logs` lists it (§21, §38.1); the
    bodies are the JSON texts that were sent and answered."""

    id: str
    webhook_id: str | None = Field(default=None, alias="webhookId")
    status_code: int | None = Field(default=None, alias="statusCode")
    request_body: str | None = Field(default=None, alias="requestBody")
    response_body: str | None = Field(default=None, alias="responseBody")
    responded_at: str | None = Field(default=None, alias="respondedAt")
    webhook_event_status_id: str | None = Field(default=None, alias="webhookEventStatusId")
