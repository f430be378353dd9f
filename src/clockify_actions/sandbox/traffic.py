"""The sandbox's traffic, one JSON line per request: when it arrived (seconds since the
epoch, to the microsecond), whose key it carried (a digest, never the key), its method,
path and status.

The request log kept in the state file says what was asked, to the second; this says who
asked and exactly when, which is what a rate limit is about. It is written only when
`CLOCKIFY_SANDBOX_TRAFFIC_LOG` names a file, by every process serving the sandbox, each
line whole (appended in one write).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from ._http import Request

ENV_VAR = "CLOCKIFY_SANDBOX_TRAFFIC_LOG"


def key_digest(api_key: str | None) -> str | None:
    """What the traffic log shows of a key: enough to tell keys apart, nothing to use."""
    return None if api_key is None else hashlib.sha256(api_key.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Traffic:
    at: float
    key: str | None
    method: str
    path: str
    status: int | None  # None when a fault left the client without a response


class TrafficLog:
    """Appends one line per request to `path`."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    @classmethod
    def from_environ(cls) -> TrafficLog | None:
        path = os.environ.get(ENV_VAR, "").strip()
        return cls(path) if path else None

    def record(self, at: float, request: Request, status: int | None) -> None:
        line = json.dumps(
            {
                "at": at,
                "key": key_digest(request.headers.get("x-api-key")),
                "method": request.method,
                "path": request.path,
                "status": status,
            }
        )
        with self._lock:
            if self._fd >= 0:  # a request still being answered when the sandbox closed
                os.write(self._fd, (line + "\n").encode())

    def close(self) -> None:
        with self._lock:
            if self._fd >= 0:
                os.close(self._fd)
                self._fd = -1


def read_traffic(path: str | os.PathLike[str]) -> list[Traffic]:
    """Every request a traffic log holds, in the order written."""
    with open(path, encoding="utf-8") as stream:
        return [Traffic(**json.loads(line)) for line in stream if line.strip()]
