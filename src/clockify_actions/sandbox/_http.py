"""A transport-neutral request and response, shared by the in-process transport and the server."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .faults import Fault

JSON = "application/json"


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: str
    headers: Mapping[str, str]  # names in lower case: HTTP header names ignore case
    body: bytes = b""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, text: str, headers: Mapping[str, str] | None = None) -> Response:
        return cls(status, text.encode(), {"Content-Type": JSON, **(headers or {})})


@dataclass(frozen=True)
class Exchange:
    """What the client gets: a response, or none at all when a fault cut the exchange."""

    response: Response | None
    fault: Fault | None = None
