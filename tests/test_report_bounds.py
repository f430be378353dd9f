"""A report's answer is read as it streams in and stopped at its own size cap, far below
the cap of other answers: what the pack does with a report takes time and memory in
proportion to its size, so a summary of tens of MiB would keep a run going for a minute
and hold most of a GiB."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from clockify_actions import Pack
from clockify_actions.clockify import ClientSettings, ClockifyClient, RetrySettings, wall
from clockify_actions.errors import ActionError
from clockify_actions.resources.reports.models import SummaryReport
from loopback import serving

KEY = "report-bound-test-Vb7nQ2"
ONE_ATTEMPT = ClientSettings(requests_per_second=None, retry=RetrySettings(max_attempts=1))
WINDOW = {
    "workspace_id": "64b7c0de5eed000000000b01",
    "start": "2026-01-01T00:00:00Z",
    "end": "2026-02-01T00:00:00Z",
}
GROUP = (
    b'{"_id": "64b7c0de5eed000000000d01", "name": "Project", "duration": 3600,'
    b' "amount": 100.0, "children": []}'
)


def chunked_summary(size: int) -> Any:
    """Answers with a summary report of about `size` bytes, in chunks and without a
    Content-Length, so that only reading tells how large it is."""

    def behaviour(connection: socket.socket, head: bytes) -> None:
        # The request body is read first: a socket closed with unread input is reset, and
        # a reset may discard the answer before the client has read it.
        _, _, body = head.partition(b"\r\n\r\n")
        length = next(
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        while len(body) < length:
            body += connection.recv(65536)
        connection.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        )
        parts = [b'{"totals": [], "groupOne": [' + GROUP]
        parts += [b"," + GROUP] * (size // (len(GROUP) + 1))
        parts.append(b"]}")
        for start in range(0, len(parts), 512):
            chunk = b"".join(parts[start : start + 512])
            connection.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        connection.sendall(b"0\r\n\r\n")

    return behaviour


def test_a_report_larger_than_its_cap_is_an_upstream_error_not_a_minute_of_work(
    pack: Pack,
) -> None:
    cap = ClientSettings().max_report_bytes
    assert cap < ClientSettings().max_response_bytes
    with serving(chunked_summary(cap + 2**20)) as (url, heads):
        result = pack.run(
            "summary_report", WINDOW, api_key=KEY, base_url=url + "/api/v1", settings=ONE_ATTEMPT
        )
    assert len(heads) == 1
    error = result["error"]
    assert error["type"] == "upstream_error"
    assert f"{cap}-byte limit" in error["message"]


def test_a_report_within_its_cap_is_read_whole(pack: Pack) -> None:
    with serving(chunked_summary(2**20)) as (url, _):
        result = pack.run(
            "summary_report", WINDOW, api_key=KEY, base_url=url + "/api/v1", settings=ONE_ATTEMPT
        )
    assert result["status"] == "success", result
    assert len(result["groups"]) > 5_000


def test_an_answer_still_arriving_at_the_deadline_is_cut_whatever_the_transport(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A transport handed in (not the network one, whose reads the deadline cuts) still
    cannot hand over a body past the deadline."""
    passed = [0.0]  # seconds the deadline's clock is moved on

    class Slow(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            yield b'{"totals": [], "groupOne": ['
            passed[0] = 3600.0  # an hour passes between two chunks
            yield b"]}"

    monkeypatch.setattr(
        wall, "time", SimpleNamespace(monotonic=lambda: time.monotonic() + passed[0])
    )
    client = ClockifyClient(
        KEY,
        "https://api.clockify.me/api/v1",
        settings=ONE_ATTEMPT,
        transport=httpx.MockTransport(lambda request: httpx.Response(200, stream=Slow())),
    )
    with pytest.raises(ActionError) as raised:
        client.report("/workspaces/w/reports/summary", {}, SummaryReport)
    assert raised.value.type.value == "network_error"
    assert "did not answer in time" in raised.value.message
