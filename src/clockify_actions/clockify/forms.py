"""A multipart/form-data body (RFC 7578), as Clockify's expense routes take their writes
(`POST`/`PUT /workspaces/{ws}/expenses`: a JSON body is refused with 415).

The body is encoded once, when the form is made, with a boundary derived from its own
content: the same form is the same bytes on every attempt and every run (a cassette
replays it), and the boundary is checked not to occur in any part.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class FormFile:
    """A file part: the name it is sent under, its media type and its bytes."""

    file_name: str
    content_type: str
    content: bytes


class Form:
    """Text fields, in order (a name may repeat, as `changeFields` does), and files."""

    __slots__ = ("content", "content_type", "fields", "files")

    def __init__(
        self, fields: Iterable[tuple[str, str]], files: Iterable[tuple[str, FormFile]] = ()
    ) -> None:
        self.fields = tuple(fields)
        self.files = tuple(files)
        parts = [_part(name, value.encode("utf-8")) for name, value in self.fields]
        parts += [_part(name, f.content, f.file_name, f.content_type) for name, f in self.files]
        boundary = _boundary(parts)
        body = b"".join(b"--" + boundary + b"\r\n" + part + b"\r\n" for part in parts)
        self.content = body + b"--" + boundary + b"--\r\n"
        self.content_type = f"multipart/form-data; boundary={boundary.decode('ascii')}"

    def described(self) -> dict[str, Any]:
        """The form as a dry run shows it: its fields, and each file's name, type and size."""
        files = {
            name: {
                "file_name": f.file_name,
                "content_type": f.content_type,
                "bytes": len(f.content),
            }
            for name, f in self.files
        }
        return {"fields": [list(field) for field in self.fields], "files": files}

    def request(self, method: str, url: httpx.URL, headers: httpx.Headers) -> httpx.Request:
        sent = httpx.Headers(headers)
        sent["Content-Type"] = self.content_type
        return httpx.Request(method, url, headers=sent, content=self.content)


def _quoted(text: str) -> bytes:
    # HTML's form encoding: a quote and line breaks are percent-escaped in a header value.
    escaped = text.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
    return escaped.encode("utf-8")


def _part(name: str, content: bytes, file_name: str | None = None, kind: str = "") -> bytes:
    disposition = b'Content-Disposition: form-data; name="' + _quoted(name) + b'"'
    if file_name is None:
        return disposition + b"\r\n\r\n" + content
    disposition += b'; filename="' + _quoted(file_name) + b'"'
    return disposition + b"\r\nContent-Type: " + kind.encode("ascii") + b"\r\n\r\n" + content


def _boundary(parts: list[bytes]) -> bytes:
    seed = hashlib.sha256(b"\0".join(parts)).hexdigest()
    while True:
        boundary = f"clockify-actions-{seed[:32]}".encode("ascii")
        if not any(boundary in part for part in parts):
            return boundary
        seed = hashlib.sha256(seed.encode("ascii")).hexdigest()
