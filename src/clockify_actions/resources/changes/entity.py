"""The light twin of `Entity` (this resource's `models`): any Clockify entity with every
field kept, such as an item of the change-tracking routes (docs/clockify-api.md §23), read
without pydantic. The generated twins (`wire.py`) are of models that ignore unknown keys;
this one keeps them all, so it is written here, from the same rules: an answer its table
refuses is judged by the pydantic model, and its twin built from what that model parsed
(`clockify_actions.clockify.light`)."""

from __future__ import annotations

from typing import Any

from clockify_actions.clockify.light import Spec, WireObject
from clockify_actions.resources.changes.wire import AuditMetadata

_new = object.__new__
_set = object.__setattr__
# The keys the model reads; every other key is kept as it came (`extra="allow"`).
_READ = frozenset({"id", "auditMetadata"})


class Entity(WireObject):
    """A Clockify entity of any type with every field kept (`fields()`)."""

    __slots__ = ("audit_metadata", "extra", "id")

    id: str
    audit_metadata: AuditMetadata | None
    extra: dict[str, Any]

    def fields(self) -> dict[str, Any]:
        return {"id": self.id, **self.extra}


def _entity(d: dict[str, Any]) -> Entity:
    o = _new(Entity)
    _set(o, "id", d["id"])
    audit = d.get("auditMetadata")
    _set(o, "audit_metadata", None if audit is None else AuditMetadata._wire.build(audit))
    _set(o, "extra", {key: value for key, value in d.items() if key not in _READ})
    return o


Entity._wire = Spec(
    "clockify_actions.resources.changes.models",
    "Entity",
    {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "auditMetadata": {"anyOf": [AuditMetadata._wire.schema, {"type": "null"}]},
            # The model also takes its field by name (`populate_by_name`): pydantic judges.
            "audit_metadata": False,
        },
        "required": ["id"],
    },
    _entity,
)
