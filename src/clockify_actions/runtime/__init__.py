"""The runtime: what the pack is, how it is loaded, how one action runs or one trigger
polls, and where its requests go; the public surface the adapters use.

Its modules, each with one job: `pack` (`Pack` and `load_pack`), `records` (an action and
a trigger), `loading` (the manifests read and checked, or the bundle), `checks` (schemas
and formats), `connection` (settings, regions and roots, what a request may choose),
`execution` (one run or poll), `defaults` (what fills a parameter an input leaves out),
`problems` (how a validation problem is worded) and `redact` (secrets kept out of
output). None of them names an action.
"""

from clockify_actions.runtime.checks import FORMATS, format_checker
from clockify_actions.runtime.connection import (
    REGIONS,
    REPORTS_REGIONS,
    Choices,
    base_url_for,
    reports_base_url_for,
    unpaced_settings,
)
from clockify_actions.runtime.defaults import AUTO, fillable
from clockify_actions.runtime.execution import ClientOptions, ClientPool, refused_before_sending
from clockify_actions.runtime.loading import BUNDLE, pack_root, read_pack
from clockify_actions.runtime.pack import Pack, load_pack
from clockify_actions.runtime.problems import problem
from clockify_actions.runtime.records import Action, PackError, Trigger
from clockify_actions.runtime.redact import RedactingFilter, Redactor

__all__ = [
    "AUTO",
    "BUNDLE",
    "FORMATS",
    "REGIONS",
    "REPORTS_REGIONS",
    "Action",
    "Choices",
    "ClientOptions",
    "ClientPool",
    "Pack",
    "PackError",
    "RedactingFilter",
    "Redactor",
    "Trigger",
    "base_url_for",
    "fillable",
    "format_checker",
    "load_pack",
    "pack_root",
    "problem",
    "read_pack",
    "refused_before_sending",
    "reports_base_url_for",
    "unpaced_settings",
]
