"""Webhooks: a subscription in the pack's output vocabulary. Which webhook event a trigger
reports is in its manifest (`webhook_event`), and its handler's `event` makes a delivery's
body into the trigger's event."""

from __future__ import annotations

from typing import Any

from clockify_actions.resources.webhooks.wire import Webhook


def webhook_output(webhook: Webhook) -> dict[str, Any]:
    return {
        "id": webhook.id,
        "name": webhook.name,
        "url": webhook.url,
        "event": webhook.webhook_event,
        "trigger_source_type": webhook.trigger_source_type,
        "trigger_source": list(webhook.trigger_source or []),
        "auth_token": webhook.auth_token,
        "enabled": webhook.enabled,
        "delivery_enabled": webhook.delivery_enabled,
        "plan_enabled": webhook.plan_enabled,
        "workspace_id": webhook.workspace_id,
        "user_id": webhook.user_id,
    }
