"""The items of the change-tracking routes (`/entities/created`, `/entities/updated`,
`/entities/deleted`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from clockify_actions.clockify.models import Wire


class AuditMetadata(Wire):
    created_at: str | None = Field(default=None, alias="createdAt")
    updated_at: str | None = Field(default=None, alias="updatedAt")


class Entity(BaseModel):
    """A Clockify entity of any type with every field kept (`fields()`), such as an item
    of the change-tracking routes (`/entities/created`, `/entities/updated`), which adds
    when it was created and last updated."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, frozen=True)

    id: str
    audit_metadata: AuditMetadata | None = Field(default=None, alias="auditMetadata")

    def fields(self) -> dict[str, Any]:
        return {"id": self.id, **(self.model_extra or {})}


class DeletedEntity(Wire):
    """An item of `/entities/deleted`: a sparse record of what was deleted, and when."""

    id: str
    deleted_at: str | None = Field(default=None, alias="deletedAt")
