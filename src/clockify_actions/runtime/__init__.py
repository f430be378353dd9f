"""The runtime: load the pack, validate both ways, run a handler, return an envelope.

The public surface of four modules, each with one job: `pack` (what the pack is and how
it is loaded from its manifests or its bundle), `execution` (how one action runs or one
trigger polls), `defaults` (what fills a parameter an input leaves out, and how a local
time is read) and `problems` (how a validation problem is worded). None of them names an
action.
"""

from clockify_actions.runtime.execution import ClientOptions, ClientPool
from clockify_actions.runtime.pack import (
    BUNDLE,
    FORMATS,
    Action,
    Pack,
    PackError,
    Trigger,
    format_checker,
    load_pack,
    pack_root,
    read_pack,
)

__all__ = [
    "BUNDLE",
    "FORMATS",
    "Action",
    "ClientOptions",
    "ClientPool",
    "Pack",
    "PackError",
    "Trigger",
    "format_checker",
    "load_pack",
    "pack_root",
    "read_pack",
]
