"""A scripted Clockify for unit tests: canned answers per route, every request recorded."""

from __future__ import annotations

import json
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any

import httpx

API = "/api/v1"


@dataclass
class Sent:
    method: str
    path: str
    query: dict[str, str]
    headers: httpx.Headers
    body: Any
    # The query as sent, repeated keys and all (`query` keeps one value per key).
    raw_query: str = ""


class FakeClockify:
    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self._answers: dict[tuple[str, str], deque[httpx.Response]] = defaultdict(deque)
        self.transport = httpx.MockTransport(self._handle)
        self._fallback: list[httpx.Response] = []

    def answer_everything(
        self,
        status: int,
        body: Any = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> FakeClockify:
        """Answer every request that has no queued answer with this response."""
        content = json.dumps(body).encode() if content is None else content
        self._fallback = [httpx.Response(status, content=content, headers=headers)]
        return self

    def answer(
        self,
        method: str,
        path: str,
        status: int = 200,
        body: Any = None,
        headers: dict[str, str] | None = None,
        content: bytes | None = None,
    ) -> FakeClockify:
        """Queue one answer for `method API+path`; answers are used in order."""
        if content is None:
            content = json.dumps(body).encode()
        response = httpx.Response(status, content=content, headers=headers)
        self._answers[(method, API + path)].append(response)
        return self

    def _handle(self, request: httpx.Request) -> httpx.Response:
        body: Any = None
        if request.content:
            # A multipart form (an expense write) is kept as its bytes; the rest is JSON.
            multipart = request.headers.get("content-type", "").startswith("multipart/")
            body = request.content if multipart else json.loads(request.content)
        self.sent.append(
            Sent(
                request.method,
                request.url.path,
                dict(request.url.params),
                request.headers,
                body,
                request.url.query.decode(),
            )
        )
        queue = self._answers.get((request.method, request.url.path))
        if not queue and self._fallback:
            fallback = self._fallback[0]
            return httpx.Response(
                fallback.status_code, content=fallback.content, headers=fallback.headers
            )
        if not queue:
            return httpx.Response(404, json={"message": "No static resource", "code": 3000})
        return queue.popleft()

    @property
    def only(self) -> Sent:
        assert len(self.sent) == 1, f"expected exactly one request, got {len(self.sent)}"
        return self.sent[0]


WS = "5f1a2b3c4d5e6f7a8b9c0d1e"
USER = "5e5b8b0a95ae537fbde06e2e"
PROJECT = "6a2b3c4d5e6f7a8b9c0d1e2f"
CLIENT = "4324630bfe76b597e688dbab"
ENTRY = "8c4d5e6f7a8b9c0d1e2f3a4b"


def project(name: str = "Sample Project", **fields: Any) -> dict[str, Any]:
    """A project as Clockify's GET and POST return it (the live 19-key shape)."""
    return {
        "id": PROJECT,
        "name": name,
        "hourlyRate": {"amount": 0, "currency": "USD"},
        "clientId": "",
        "workspaceId": WS,
        "billable": True,
        "memberships": [],
        "color": "#03A9F4",
        "estimate": {"estimate": "PT0S", "type": "AUTO"},
        "archived": False,
        "duration": "PT0S",
        "clientName": "",
        "note": "",
        "costRate": None,
        "timeEstimate": None,
        "budgetEstimate": None,
        "estimateReset": None,
        "template": False,
        "public": False,
        **fields,
    }


def time_entry(start: str, end: str | None, duration: str | None, **fields: Any) -> dict[str, Any]:
    return {
        "id": ENTRY,
        "description": "Working on task",
        "tagIds": None,
        "userId": USER,
        "billable": False,
        "taskId": None,
        "projectId": PROJECT,
        "timeInterval": {"start": start, "end": end, "duration": duration},
        "workspaceId": WS,
        "isLocked": False,
        "customFieldValues": [],
        "type": "REGULAR",
        "kioskId": None,
        **fields,
    }
