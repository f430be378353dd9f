"""Which of a manifest's `clockify:` routes a recorded request is.

A manifest names each request it makes as `METHOD /path/{param}`, with the query that
tells two calls of one path apart where there is one (`GET /workspaces/{workspaceId}/
entities/created?type=TAGS`), and ` (reports host)` for a route of Clockify's reports
host. A recorded request is one of them when its method, host and path match (a `{param}`
takes any one segment) and its query holds every parameter the route gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from clockify_actions.runtime import REGIONS, REPORTS_REGIONS

_ENTRY = re.compile(
    r"(?P<method>[A-Z]+) (?P<path>/[^?\s]*)(?:\?(?P<query>\S+))?(?P<reports> \(reports host\))?"
)
# Every root a request may be sent to, with the host it stands for.
_ROOTS = sorted(
    [(root, "api") for root in REGIONS.values()]
    + [(root, "reports") for root in REPORTS_REGIONS.values()],
    key=lambda item: -len(item[0]),
)


@dataclass(frozen=True)
class Route:
    """One `clockify:` entry of a manifest."""

    entry: str
    method: str
    parts: tuple[str, ...]
    query: frozenset[tuple[str, str]]
    host: str

    @classmethod
    def parse(cls, entry: str) -> Route:
        found = _ENTRY.fullmatch(entry)
        if found is None:
            raise ValueError(f"not a route: {entry!r}")
        return cls(
            entry=entry,
            method=found["method"],
            parts=_parts(found["path"]),
            query=frozenset(parse_qsl(found["query"] or "")),
            host="reports" if found["reports"] else "api",
        )

    def serves(self, method: str, uri: str) -> bool:
        """Whether the request `method uri` (a full URL) is a call of this route."""
        where = _split(uri)
        if where is None or (method, where[0]) != (self.method, self.host):
            return False
        _, path, query = where
        parts = _parts(path)
        return (
            len(parts) == len(self.parts)
            and all(
                mine.startswith("{") or mine == theirs
                for mine, theirs in zip(self.parts, parts, strict=True)
            )
            and self.query <= query
        )


def _parts(path: str) -> tuple[str, ...]:
    return tuple(path.strip("/").split("/"))


def _split(uri: str) -> tuple[str, str, frozenset[tuple[str, str]]] | None:
    """The host a URL is on (`api` or `reports`), its path under the root and its query;
    None for a URL under no root of Clockify's."""
    parts = urlsplit(uri)
    address = f"{parts.scheme}://{parts.netloc}{parts.path}"
    for root, host in _ROOTS:
        if address.startswith(root + "/"):
            return host, address[len(root) :], frozenset(parse_qsl(parts.query))
    return None


def route_of(entries: list[str], method: str, uri: str) -> str | None:
    """The entry of `entries` (a manifest's `clockify:`) that the request is, or None."""
    return next((e for e in entries if Route.parse(e).serves(method, uri)), None)
