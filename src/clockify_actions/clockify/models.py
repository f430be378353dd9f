"""The base of Clockify's wire objects, and the error body the client reads.

Unknown fields are ignored and optional fields accept null, so that a field Clockify
adds or leaves empty never breaks a run; only what an action truly needs is required.
Each resource's objects are in its folder (`clockify_actions.resources.<name>.models`).
"""

from __future__ import annotations

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, StrictInt


class Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)


class ErrorBody(Wire):
    """Clockify's error body. Old answers said `description` instead of `message`."""

    message: str | None = Field(
        default=None, validation_alias=AliasChoices("message", "description")
    )
    code: StrictInt | None = None
