"""What happened, as Clockify records it: every create, update and delete of an entity,
handed to each resource that listens (`Resource.on_change`: change tracking records it,
webhooks queue it for delivery).

A resource module calls `emit(call, EVENT, doc)` once where the change is made, for an event
some resource declares; nothing here knows the resources.
"""

from __future__ import annotations

from ._call import Call
from ._docs import Doc
from ._resources import Change, events, listeners


def emit(call: Call, event: str, doc: Doc) -> None:
    """Note that `event` happened to `doc` (as the route answers it) in the call's workspace."""
    kind, change = events()[event]
    for listener in listeners():
        listener(call, Change(event, kind, change, doc))
