"""Webhooks: a subscription in the pack's output vocabulary, and each webhook event a
trigger reports with how a delivery's body becomes that trigger's event (the same event a
poll reports)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from clockify_actions.resources.common.events import Event, named_event, time_entry_event
from clockify_actions.resources.projects.helpers import project_event
from clockify_actions.resources.tasks.helpers import task_event
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


# Each webhook event a trigger reports: the trigger, and how its body becomes the event.
WEBHOOK_EVENTS: dict[str, tuple[str, Callable[[str, Mapping[str, Any]], Event]]] = {
    "NEW_TIME_ENTRY": ("new_time_entry", time_entry_event),
    "NEW_TIMER_STARTED": ("timer_started", time_entry_event),
    "TIMER_STOPPED": ("timer_stopped", time_entry_event),
    "NEW_PROJECT": ("new_project", project_event),
    "NEW_CLIENT": ("new_client", named_event),
    "NEW_TASK": ("new_task", task_event),
    "NEW_TAG": ("new_tag", named_event),
}
