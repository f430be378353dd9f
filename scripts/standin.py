"""A fast stand-in for Clockify, for the benchmark's floors: canned answers, served by an
asyncio loopback server (thousands of requests a second, so that it is never what is
measured) or handed back by a transport without any network.

The answers are taken from the sandbox once (one of each object, as the sandbox writes
it) and copied to the sizes asked for, each copy with its own id: a page is the same
bytes whichever client asks for it, so the pack and a bare httpx fetch read exactly the
same thing.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx

from clockify_actions.adapters.cli import SANDBOX_BASE_URL
from clockify_actions.sandbox import (
    DEMO_API_KEY,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    SAMPLE_PROJECT_ID,
    Sandbox,
)

WS = DEMO_WORKSPACE_ID
API = "/api/v1"
REPORTS = "/report/v1"
PROJECTS = f"{API}/workspaces/{WS}/projects"
ENTRIES = f"{API}/workspaces/{WS}/user/{DEMO_USER_ID}/time-entries"
CREATE_ENTRY = f"{API}/workspaces/{WS}/time-entries"
DETAILED = f"{REPORTS}/workspaces/{WS}/reports/detailed"
SUMMARY = f"{REPORTS}/workspaces/{WS}/reports/summary"
CREATED = f"{API}/workspaces/{WS}/entities/created"
UPDATED = f"{API}/workspaces/{WS}/entities/updated"
RUNNING = f"{API}/workspaces/{WS}/time-entries/status/in-progress"
ENTRY = {"start": "2026-01-28T09:00:00Z", "end": "2026-01-28T10:30:00Z"}


class Route:
    """One route's answer: fixed, or pages counted from `first` (the page number read
    from the query's `page`, or from a report body's `detailedFilter.page`)."""

    __slots__ = ("first", "pages", "status")

    def __init__(self, pages: list[bytes], first: int = 1, status: int = 200) -> None:
        self.pages = pages
        self.first = first
        self.status = status


class Canned:
    """The stand-in's answers by method and path."""

    def __init__(self, routes: dict[tuple[str, str], Route]) -> None:
        self.routes = routes

    def answer(self, method: str, target: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        path, _, query = target.partition("?")
        route = self.routes.get((method, path))
        if route is None:
            return 404, {}, b'{"message":"not canned","code":3000}'
        if len(route.pages) == 1 and route.first == 0 and method != "GET":
            return route.status, {}, route.pages[0]
        if method == "POST" and body:
            number = json.loads(body).get("detailedFilter", {}).get("page", route.first)
        else:
            number = int(parse_qs(query).get("page", [route.first])[0])
        index = number - route.first
        content = route.pages[index] if 0 <= index < len(route.pages) else b"[]"
        last = "true" if index >= len(route.pages) - 1 else "false"
        return route.status, {"Last-Page": last}, content


def _copies(template: dict[str, Any], count: int, key: str = "id") -> list[dict[str, Any]]:
    return [{**template, key: f"{index:024x}"} for index in range(count)]


def _pages(items: list[Any], size: int) -> list[bytes]:
    return [json.dumps(items[i : i + size]).encode() for i in range(0, len(items), size)] or [b"[]"]


def templates(directory: Path) -> dict[str, Any]:
    """One of each object the canned answers copy, as the sandbox writes it."""
    sandbox = Sandbox.open(directory / "templates.sqlite3")
    http = httpx.Client(
        transport=sandbox.transport(),
        base_url=SANDBOX_BASE_URL,
        headers={"X-Api-Key": DEMO_API_KEY},
    )
    try:
        created = http.post(f"/workspaces/{WS}/time-entries", json={**ENTRY, "description": "x"})
        entry = http.get(f"/workspaces/{WS}/user/{DEMO_USER_ID}/time-entries").json()[0]
        window = {"start": "2000-01-01T00:00:00Z", "end": "2100-01-01T00:00:00Z"}
        entity = http.get(
            f"/workspaces/{WS}/entities/created",
            params={"type": "TIME_ENTRY", **window, "page": 0, "limit": 1000},
        ).json()[0]
        report = http.post(
            f"{SANDBOX_BASE_URL.removesuffix('/api/v1')}/report/v1/workspaces/{WS}/reports/detailed",
            json={
                "dateRangeStart": "2000-01-01T00:00:00.000Z",
                "dateRangeEnd": "2099-12-31T23:59:59.999Z",
                "detailedFilter": {"page": 1, "pageSize": 1000},
            },
        ).json()
        summary = http.post(
            f"{SANDBOX_BASE_URL.removesuffix('/api/v1')}{SUMMARY}",
            json={
                "dateRangeStart": "2000-01-01T00:00:00.000Z",
                "dateRangeEnd": "2099-12-31T23:59:59.999Z",
                "summaryFilter": {"groups": ["PROJECT"]},
            },
        )
        return {
            "summary": summary.content,
            "workspaces": http.get("/workspaces").content,
            "user": http.get("/user").content,
            "project": http.get(f"/workspaces/{WS}/projects/{SAMPLE_PROJECT_ID}").json(),
            "entry": entry,
            "created": created.content,
            "entity": entity,
            "report_totals": report["totals"],
            "report_entry": report["timeentries"][0],
        }
    finally:
        http.close()
        sandbox.close()


def canned(found: dict[str, Any], projects: int, entries: int, report: int, poll: int) -> Canned:
    """Answers for `projects` projects, `entries` time entries, a detailed report of
    `report` entries and `poll` newly created time entries, in Clockify's page sizes."""
    detailed = _copies(found["report_entry"], report, key="_id")
    report_pages = [
        json.dumps(
            {"totals": found["report_totals"], "timeentries": detailed[i : i + 1000]}
        ).encode()
        for i in range(0, max(report, 1), 1000)
    ]
    return Canned(
        {
            ("GET", f"{API}/workspaces"): Route([found["workspaces"]], first=0),
            ("GET", f"{API}/user"): Route([found["user"]], first=0),
            ("GET", PROJECTS): Route(_pages(_copies(found["project"], projects), 5000)),
            ("GET", ENTRIES): Route(_pages(_copies(found["entry"], entries), 5000)),
            ("POST", CREATE_ENTRY): Route([found["created"]], first=0, status=201),
            ("POST", DETAILED): Route(report_pages),
            ("POST", SUMMARY): Route([found["summary"]], first=0),
            ("GET", CREATED): Route(_pages(_copies(found["entity"], poll), 1000), first=0),
            ("GET", UPDATED): Route([b"[]"], first=0),
            ("GET", RUNNING): Route([b"[]"]),
        }
    )


class CannedTransport(httpx.BaseTransport):
    """The no-network floor: the canned answers handed back in-process."""

    def __init__(self, answers: Canned) -> None:
        self.answers = answers

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        target = request.url.raw_path.decode("ascii")
        status, headers, content = self.answers.answer(request.method, target, request.read())
        return httpx.Response(
            status, headers={**headers, "Content-Type": "application/json"}, content=content
        )


_REASONS = {200: b"OK", 201: b"Created", 404: b"Not Found"}


async def _connection(
    answers: Canned, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.split(b"\r\n")
            method, target, _ = lines[0].split(b" ", 2)
            length = 0
            for line in lines[1:]:
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            body = await reader.readexactly(length) if length else b""
            status, headers, content = answers.answer(method.decode(), target.decode(), body)
            extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
            writer.write(
                b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                % (status, _REASONS.get(status, b"OK"), len(content))
                + f"Date: {email.utils.formatdate(usegmt=True)}\r\n{extra}\r\n".encode()
                + content
            )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


@contextmanager
def serving(answers: Canned) -> Iterator[str]:
    """The stand-in on 127.0.0.1, in a process of its own (so that it never waits for the
    measured process's GIL); yields its API root."""
    with tempfile.TemporaryDirectory() as directory:
        table = Path(directory) / "answers.pickle"
        table.write_bytes(pickle.dumps(answers))
        process = subprocess.Popen(
            [sys.executable, __file__, str(table)], stdout=subprocess.PIPE, text=True
        )
        try:
            assert process.stdout is not None
            port = int(process.stdout.readline())
            yield f"http://127.0.0.1:{port}{API}"
        finally:
            process.terminate()
            process.wait(timeout=10)


async def _serve(answers: Canned) -> None:
    server = await asyncio.start_server(
        lambda r, w: _connection(answers, r, w), "127.0.0.1", 0, limit=1 << 20
    )
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(_serve(pickle.loads(Path(sys.argv[1]).read_bytes())))
