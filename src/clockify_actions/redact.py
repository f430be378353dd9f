"""Secrets out of everything the pack writes.

Which settings are secret is declared once, as `writeOnly: true` in the manifest's
connection schema; the redactor is built from that declaration and the values in use.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Iterable, Mapping
from typing import Any

PLACEHOLDER = "[redacted]"


def secret_settings(connection_schema: Mapping[str, Any]) -> list[str]:
    properties: Mapping[str, Any] = connection_schema.get("properties", {})
    return [name for name, schema in properties.items() if schema.get("writeOnly")]


class Redactor:
    def __init__(self, secrets: Iterable[object] = ()) -> None:
        # Longest first, so that a secret containing another is replaced whole.
        self.secrets = sorted(
            {s for s in secrets if isinstance(s, str) and len(s) >= 4}, key=len, reverse=True
        )

    def text(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, PLACEHOLDER)
        return text

    def data(self, value: Any) -> Any:
        """A copy of a JSON-like value with every secret replaced (keys included)."""
        if not self.secrets:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {self.text(str(k)): self.data(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.data(v) for v in value]
        return value

    def dumps(self, value: Any) -> str:
        """JSON text with every secret replaced, including secrets JSON would escape.

        Readable UTF-8 where it can be encoded; text holding a lone surrogate (which UTF-8
        cannot carry) is written with ASCII escapes instead, so the output stays valid.
        """
        text = json.dumps(value, ensure_ascii=False)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = json.dumps(value)
        for secret in self.secrets:
            for form in (json.dumps(secret, ensure_ascii=False), json.dumps(secret)):
                text = text.replace(form[1:-1], PLACEHOLDER)
        return text


class RedactingFilter(logging.Filter):
    """Applies a redactor to every log record before any handler formats it."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redactor.text(record.getMessage())
        record.args = None
        if record.exc_info:
            record.msg += "\n" + self.redactor.text(
                "".join(traceback.format_exception(*record.exc_info))
            )
            record.exc_info = None
            record.exc_text = None
        return True
