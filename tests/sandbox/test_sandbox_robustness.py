"""No request makes the sandbox fail to answer: arbitrary bodies, its own bugs and broken state
files get an answer, and bodies arrive however HTTP/1.1 frames them."""

from __future__ import annotations

import http.client
import json
import logging
import socket
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clockify_actions.resources.projects import sandbox_collection
from clockify_actions.resources.projects.sandbox_collection import insert_projects
from clockify_actions.sandbox import (
    ARCHIVED_PROJECT_ID,
    DEMO_API_KEY,
    DEMO_CLIENT_ID,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    SAMPLE_PROJECT_ID,
    SAMPLE_TIME_ENTRY_ID,
    Sandbox,
    SandboxServer,
    _sandbox,
)

from .sandbox_testkit import ClientFactory, SpecChecker, checked_client

WS = f"/workspaces/{DEMO_WORKSPACE_ID}"
MINE = f"{WS}/user/{DEMO_USER_ID}/time-entries"
INTERNAL_ERROR = {"message": "Internal Server Error", "code": 500}

# --- the last resort ---------------------------------------------------------------------------


def test_a_bug_in_a_handler_is_a_500_that_writes_nothing(
    connect: ClientFactory,
    sandbox: Sandbox,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    api = connect()

    def insert_then_fail(db: sqlite3.Connection, docs: list[dict[str, Any]]) -> None:
        insert_projects(db, docs)
        raise RuntimeError("a bug")

    monkeypatch.setattr(sandbox_collection, "insert_projects", insert_then_fail)
    response = api.post(f"{WS}/projects", json={"name": "Apollo"})
    assert (response.status_code, response.json()) == (500, INTERNAL_ERROR)
    assert [p["name"] for p in sandbox.projects(DEMO_WORKSPACE_ID)] == [
        "Archived Project",
        "Sample Project",
        "Website Redesign",
    ]
    assert sandbox.request_log()[-1].status == 500
    failure = next(r for r in caplog.records if r.levelno == logging.ERROR)
    assert failure.exc_info is not None and "a bug" in str(failure.exc_info[1])
    # The same client goes on being served.
    assert api.get("/user").status_code == 200


def test_a_broken_state_file_is_a_500(
    connect: ClientFactory, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    api = connect()

    def unreadable(db: sqlite3.Connection) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(_sandbox, "read_config", unreadable)
    response = api.get("/user")
    assert (response.status_code, response.json()) == (500, INTERNAL_ERROR)
    assert any(r.exc_info and "disk I/O" in str(r.exc_info[1]) for r in caplog.records)


# --- arbitrary bodies --------------------------------------------------------------------------

# Text with every code point, lone surrogates included (JSON escapes can carry them).
TEXT = st.text(st.characters(exclude_categories=()), max_size=12)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
# Date-times over Clockify's whole range, with offsets inside and outside Java's ±18:00.
DATES = st.builds(
    lambda moment, zone: moment.isoformat() + zone,
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)),
    st.just("Z")
    | st.builds(
        lambda sign, hours, minutes: f"{sign}{hours:02d}:{minutes:02d}",
        st.sampled_from("+-"),
        st.integers(0, 99),
        st.integers(0, 99),
    ),
)
KNOWN = {
    "name": TEXT,
    "start": DATES,
    "end": DATES,
    "projectId": st.sampled_from([SAMPLE_PROJECT_ID, ARCHIVED_PROJECT_ID, "0" * 24]),
    "clientId": st.just(DEMO_CLIENT_ID),
    "color": st.just("#03A9F4"),
    "description": TEXT,
    "billable": st.booleans(),
    "isPublic": st.booleans(),
    "type": st.sampled_from(["REGULAR", "BREAK"]),
    "tagIds": st.lists(TEXT, max_size=2),
    "hourlyRate": st.fixed_dictionaries({"amount": st.integers()}),
}
# Each field the handlers read, as what they expect or as any JSON value.
BODIES = JSON_VALUES | st.fixed_dictionaries(
    {}, optional={key: value | JSON_VALUES for key, value in KNOWN.items()}
)
WRITES = [
    ("POST", f"{WS}/projects"),
    ("POST", f"{WS}/clients"),
    ("POST", f"{WS}/time-entries"),
    ("POST", MINE),
    ("PATCH", MINE),
    ("PUT", f"{WS}/time-entries/{SAMPLE_TIME_ENTRY_ID}"),
]


@pytest.fixture(scope="module")
def shared_api(
    tmp_path_factory: pytest.TempPathFactory, spec_checker: SpecChecker | None
) -> Iterator[httpx.Client]:
    """One sandbox for every example: a fresh one each would dominate the run time."""
    with Sandbox.open(tmp_path_factory.mktemp("bodies") / "db") as sandbox:
        yield checked_client(
            spec_checker,
            transport=sandbox.transport(),
            base_url="https://api.clockify.me/api/v1",
            headers={"X-Api-Key": DEMO_API_KEY, "Content-Type": "application/json"},
        )


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(write=st.sampled_from(WRITES), body=BODIES)
def test_any_json_body_gets_an_answer_and_no_500(
    shared_api: httpx.Client, write: tuple[str, str], body: object
) -> None:
    method, path = write
    response = shared_api.request(method, path, content=json.dumps(body))
    assert response.status_code in (200, 201, 400, 404), response.text
    if response.status_code >= 400:
        assert set(response.json()) == {"message", "code"}


# --- framing over HTTP -------------------------------------------------------------------------


@pytest.fixture
def server(sandbox: Sandbox) -> Iterator[SandboxServer]:
    with sandbox.serve() as served:
        yield served


def post(
    server: SandboxServer, checker: SpecChecker | None, framing: str, body: bytes
) -> tuple[int, dict[str, str], Any]:
    """POST /projects as a client that frames its own request sends it: the status, headers
    and JSON body it gets, the body checked as the `connect` fixture checks them."""
    path = f"/api/v1{WS}/projects"
    head = (
        f"POST {path} HTTP/1.1\r\nHost: sandbox\r\nX-Api-Key: {DEMO_API_KEY}\r\n"
        f"Content-Type: application/json\r\n{framing}\r\n\r\n"
    )
    with socket.create_connection((server.host, server.port), timeout=5) as sock:
        sock.sendall(head.encode() + body)
        response = http.client.HTTPResponse(sock)
        response.begin()
        answer = json.loads(response.read())
    if checker is not None:
        assert checker.problems("POST", path, response.status, answer) == []
    return response.status, dict(response.getheaders()), answer


def chunked(*parts: bytes) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in parts) + b"0\r\n\r\n"


def test_a_chunked_body_is_read(
    server: SandboxServer, sandbox: Sandbox, spec_checker: SpecChecker | None
) -> None:
    with checked_client(spec_checker, headers={"X-Api-Key": DEMO_API_KEY}) as client:
        response = client.post(
            f"{server.base_url}{WS}/projects",
            content=iter([b'{"name":', b' "Apollo"}']),  # httpx sends an iterator chunked
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code == 201, response.text
        assert client.get(f"{server.base_url}/user").status_code == 200  # the stream is in step
    assert "Apollo" in [p["name"] for p in sandbox.projects(DEMO_WORKSPACE_ID)]


def test_chunk_extensions_and_trailers_are_ignored(
    server: SandboxServer, spec_checker: SpecChecker | None
) -> None:
    body = b'7;note=x\r\n{"name"\r\na\r\n: "Zeus"}\r\n0\r\nX-Trailer: yes\r\n\r\n'
    status, _, answer = post(server, spec_checker, "Transfer-Encoding: chunked", body)
    assert (status, answer["name"]) == (201, "Zeus")


@pytest.mark.parametrize(
    ("framing", "body", "status"),
    [
        ("Transfer-Encoding: chunked", b"zz\r\n{}\r\n0\r\n\r\n", 400),  # not a hex size
        ("Transfer-Encoding: chunked", b"2\r\n{}XX0\r\n\r\n", 400),  # no CRLF after the data
        ("Transfer-Encoding: chunked", b"200000\r\n", 413),  # 2 MiB announced
        ("Transfer-Encoding: gzip", b"", 501),
        ("Content-Length: 2000000", b"", 413),
        ("Content-Length: many", b"", 400),
    ],
)
def test_a_body_that_cannot_be_read_is_refused_and_the_connection_closed(
    server: SandboxServer,
    sandbox: Sandbox,
    spec_checker: SpecChecker | None,
    framing: str,
    body: bytes,
    status: int,
) -> None:
    answered, headers, answer = post(server, spec_checker, framing, body)
    assert (answered, answer["code"], headers["Connection"]) == (status, status, "close")
    assert len(sandbox.projects(DEMO_WORKSPACE_ID)) == 3


def test_chunked_bodies_are_read_up_to_one_mebibyte(
    server: SandboxServer, spec_checker: SpecChecker | None
) -> None:
    limit = 1 << 20
    # JSON allows any amount of white space: a body of the limit with a small project in it.
    opening = b'{"name": "Big"'
    whole = opening + b" " * (limit - len(opening) - 1) + b"}"
    status, _, answer = post(
        server, spec_checker, "Transfer-Encoding: chunked", chunked(whole[:1000], whole[1000:])
    )
    assert (status, answer["name"]) == (201, "Big")
    # One byte more: refused on the chunk size alone, before its data is read.
    over = b"%x\r\n%s\r\n%x\r\n" % (1000, whole[:1000], limit + 1 - 1000)
    assert post(server, spec_checker, "Transfer-Encoding: chunked", over)[0] == 413
