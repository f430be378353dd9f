"""An expense write's multipart/form-data body, read as Clockify's Spring binding reads it
(docs/clockify-api.md §29.3, §29.4).

- Only multipart/form-data is taken: a JSON body → 415 (CONFIRMED-LIVE(1), the go-clockify
  campaign). The message is Spring's own wording (INFERRED, as `_call` gives it).
- Text fields by name (`changeFields` repeats), and the `file` part, the receipt.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP

from clockify_actions.sandbox._call import Call
from clockify_actions.sandbox._errors import ApiError


@dataclass(frozen=True)
class Receipt:
    file_name: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class ExpenseForm:
    fields: dict[str, list[str]]
    receipt: Receipt | None

    def text(self, name: str) -> str | None:
        values = self.fields.get(name)
        return values[0] if values else None

    def all(self, name: str) -> list[str]:
        return [value for item in self.fields.get(name, []) for value in item.split(",") if value]


def read_form(call: Call) -> ExpenseForm:
    kind = call.content_type or ""
    if not kind.lower().startswith("multipart/form-data"):
        shown = kind.split(";")[0].strip().lower() or "application/octet-stream"
        raise ApiError(415, f"Content-Type '{shown}' is not supported", 3000)
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + kind.encode("latin-1") + b"\r\n\r\n" + call.body
    )
    fields: dict[str, list[str]] = {}
    receipt = None
    for part in message.iter_parts() if message.is_multipart() else ():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        content = _content(part)
        if part.get_filename() is not None:
            if name == "file" and content:
                receipt = Receipt(part.get_filename() or "", part.get_content_type(), content)
            continue
        fields.setdefault(name, []).append(content.decode("utf-8", "replace"))
    return ExpenseForm(fields, receipt)


def _content(part: Message) -> bytes:
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""
