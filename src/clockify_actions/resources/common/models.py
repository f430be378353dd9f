"""The small wire objects that several resources nest: a named reference, a custom field's value."""

from __future__ import annotations

from pydantic import Field

from clockify_actions.clockify.models import Wire


class Named(Wire):
    """A project, task or tag as a hydrated time entry nests it; only its name is read."""

    id: str | None = None
    name: str | None = None


class CustomFieldValue(Wire):
    custom_field_id: str = Field(alias="customFieldId")
    value: object = None
