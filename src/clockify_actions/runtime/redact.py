"""Secrets out of everything the pack writes.

Which settings are secret is declared once, as `writeOnly: true` in the manifest's
connection schema; the redactor is built from that declaration and the values in use.

A secret is hidden whole, and so is any run of `WINDOW` characters of it, whatever the
case of its ASCII letters and whatever whitespace stands between them: a server that
echoes the key cut short, re-cased, split or spelt out ("k e y 1 2 3") gets no such run
of it into the pack's output.
"""

from __future__ import annotations

import json
import logging
import re
import string
import threading
import traceback
from collections.abc import Iterable, Mapping
from typing import Any

PLACEHOLDER = "[redacted]"
# The shortest run of a secret that is hidden wherever it appears, in any letter case.
WINDOW = 8
# Case folding that keeps every index: ASCII letters only (a key is ASCII).
_ASCII_FOLD = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
# The same, with whitespace (as `str.isspace` knows it) dropped: runs of a secret are
# sought through any whitespace put between its characters.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_FOLD_AND_SQUEEZE = {**_ASCII_FOLD, **dict.fromkeys(map(ord, WHITESPACE))}
# Characters JSON writes as they are: a secret made only of these appears verbatim in it.
_JSON_PLAIN = frozenset(map(chr, range(0x20, 0x7F))) - {'"', "\\"}
# The escapes JSON writes (ensure_ascii=False) for whitespace: \t \n \f \r, and \u000b and
# \u001c to \u001f. Dropping one that only looks like it (`\\n`, an escaped backslash
# before an n) finds more, never less.
_ESCAPED_WHITESPACE = re.compile(r"\\[tnfr]|\\u00(?:0b|1[c-f])")


# For a quick look at a whole value; what it writes is never shown.
_ENCODER = json.JSONEncoder(check_circular=False)
# The C encoder `_ENCODER.encode` builds on every call, built once (None where the C
# accelerator is missing): the look is taken at every run.
_make_c_encoder: Any = getattr(json.encoder, "c_make_encoder", None)
_C_ENCODE: Any = (
    None
    if _make_c_encoder is None
    else _make_c_encoder(
        None,  # no markers: check_circular=False
        _ENCODER.default,
        json.encoder.encode_basestring_ascii,
        None,  # indent
        _ENCODER.key_separator,
        _ENCODER.item_separator,
        _ENCODER.sort_keys,
        _ENCODER.skipkeys,
        _ENCODER.allow_nan,
    )
)


def _encoded(value: Any) -> str:
    """`_ENCODER.encode(value)`."""
    if _C_ENCODE is None or isinstance(value, str):
        return _ENCODER.encode(value)
    return "".join(_C_ENCODE(value, 0))


# `json.dumps(value, ensure_ascii=False)` with its C encoder built once: the text the pack
# writes, and the one its quick look searches (a plain secret appears in it verbatim, and
# whitespace outside ASCII is itself, not an escape, so runs split by it are found too).
_C_ENCODE_TEXT: Any = (
    None
    if _make_c_encoder is None
    else _make_c_encoder(
        None,
        _ENCODER.default,
        json.encoder.encode_basestring,
        None,
        _ENCODER.key_separator,
        _ENCODER.item_separator,
        False,
        False,
        True,
    )
)


def _text(value: Any) -> str:
    """`json.dumps(value, ensure_ascii=False)`."""
    if _C_ENCODE_TEXT is None or isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return "".join(_C_ENCODE_TEXT(value, 0))


# The longest text of a judged envelope kept for writing it (see `_Judged`).
KEPT_TEXT = 16 * 1024 * 1024


class _Judged(threading.local):
    """The last value a quick look found clean in this thread, with its text: the CLI and
    the worker write the envelope `Pack.run` has just judged, and need not encode it
    again. Kept by identity, with the identity of each of its top-level values, so that a
    key dropped or replaced since (a poll's `state`) is never written from the old text;
    one per thread, so that a thread never takes the text of another's value."""

    def __init__(self) -> None:
        # (value, its shape, its text, the secrets it was judged against), or None.
        self.judged: tuple[Any, tuple[Any, ...], str, frozenset[str]] | None = None

    def keep(self, value: Any, text: str, secrets: list[str]) -> None:
        # Only a text of up to `KEPT_TEXT` characters is kept (one per thread, until the
        # next look): a longer one is encoded again rather than held on to.
        self.judged = (
            (value, _shape(value), text, frozenset(secrets))
            if type(value) is dict and len(text) <= KEPT_TEXT
            else None
        )

    def take(self, value: Any, secrets: list[str]) -> str | None:
        """The text of `value` if it is the value judged, unchanged at its top, by a
        redactor that knew at least `secrets`; forgotten once taken."""
        judged = self.judged
        if judged is None or type(value) is not dict or value is not judged[0]:
            return None
        self.judged = None
        if judged[3].issuperset(secrets) and _shape(value) == judged[1]:
            return judged[2]
        return None


def _shape(value: dict[Any, Any]) -> tuple[Any, ...]:
    return (*value, *map(id, value.values()))


_JUDGED = _Judged()


def _fold(text: str) -> str:
    return text.lower() if text.isascii() else text.translate(_ASCII_FOLD)


def secret_settings(connection_schema: Mapping[str, Any]) -> list[str]:
    properties: Mapping[str, Any] = connection_schema.get("properties", {})
    return [name for name, schema in properties.items() if schema.get("writeOnly")]


class Redactor:
    def __init__(self, secrets: Iterable[object] = ()) -> None:
        # Longest first, so that a secret containing another is replaced whole.
        self.secrets = sorted(
            {s for s in secrets if isinstance(s, str) and len(s) >= 4}, key=len, reverse=True
        )
        long = [_fold(s) for s in self.secrets if len(s) >= WINDOW]
        self._windows = sorted(
            {s[i : i + WINDOW] for s in long for i in range(len(s) - WINDOW + 1)}
        )
        # Every run of WINDOW characters of a secret holds one of its blocks of four that
        # start at a multiple of four: finding none rules the runs out at a fraction of
        # the cost of looking for each.
        self._blocks = sorted({s[i : i + 4] for s in long for i in range(0, len(s) - 3, 4)})
        self._short = [s for s in self.secrets if len(s) < WINDOW]
        self._plain = all(_JSON_PLAIN.issuperset(s) for s in self.secrets)

    def text(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, PLACEHOLDER)
        if len(text) < WINDOW or not self._windows:
            return text
        squeezed = text.translate(_FOLD_AND_SQUEEZE)
        if not any(block in squeezed for block in self._blocks):
            return text
        return self._runs_out(text, squeezed)

    def _runs_out(self, text: str, squeezed: str) -> str:
        """`text` with every stretch covered by runs of a secret in `squeezed` (the text
        folded, without whitespace) replaced, once."""
        # Where each character of `squeezed` stands in `text`.
        at = (
            range(len(text))
            if len(squeezed) == len(text)
            else [i for i, char in enumerate(text) if char not in WHITESPACE]
        )
        covered: list[tuple[int, int]] = []
        for window in self._windows:
            start = squeezed.find(window)
            while start != -1:
                covered.append((at[start], at[start + WINDOW - 1] + 1))
                start = squeezed.find(window, start + 1)
        if not covered:
            return text
        covered.sort()
        parts: list[str] = []
        done = 0
        run_start, run_end = covered[0]
        for start, stop in covered[1:]:
            if start <= run_end:
                run_end = max(run_end, stop)
                continue
            parts += [text[done:run_start], PLACEHOLDER]
            done = run_end
            run_start, run_end = start, stop
        parts += [text[done:run_start], PLACEHOLDER, text[run_end:]]
        return "".join(parts)

    def data(self, value: Any) -> Any:
        """The JSON-like value with every secret replaced (keys included): a copy where
        anything was replaced, else the value itself."""
        if not self.secrets:
            return value
        if self._plain:
            try:
                dumped = _text(value)
            except (TypeError, ValueError):
                return self._walk(value)
            if not self._might_hold_a_secret(dumped):
                _JUDGED.keep(value, dumped, self.secrets)
                return value
        return self._walk(value)

    def _might_hold_a_secret(self, text: str) -> bool:
        """False only when no secret, nor any run of one, can be in `text`, the JSON text
        of a value: whitespace JSON escapes (a line break is `\\n` in it) is dropped as
        the whitespace itself is, so a run split by line breaks is still found."""
        if any(map(text.__contains__, self._short)):
            return True
        if "\\" in text:
            text = _ESCAPED_WHITESPACE.sub("", text)
        squeezed = text.translate(_FOLD_AND_SQUEEZE)
        found = [block for block in self._blocks if block in squeezed]
        if not found:
            return False
        # A run of WINDOW characters holds a block: only runs holding a block found can
        # be there. A block alone (four characters, common in a long text) is not a run.
        return any(
            window in squeezed
            for window in self._windows
            if any(block in window for block in found)
        )

    def _walk(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {self.text(str(k)): self._walk(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self._walk(v) for v in value]
        return value

    def dumps(self, value: Any) -> str:
        """JSON text with every secret replaced, including secrets JSON would escape.

        Readable UTF-8 where it can be encoded; text holding a lone surrogate (which UTF-8
        cannot carry) is written with ASCII escapes instead, so the output stays valid.
        """
        text = self._clean_text(value)
        if text is not None:
            return text
        value = self.data(value)
        text = json.dumps(value, ensure_ascii=False)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = json.dumps(value)
        for secret in self.secrets:
            for form in (json.dumps(secret, ensure_ascii=False), json.dumps(secret)):
                text = text.replace(form[1:-1], PLACEHOLDER)
        return text

    def _clean_text(self, value: Any) -> str | None:
        """The JSON text of `value` when it holds no secret nor any run of one and UTF-8
        can carry it (encoded once: the text just judged is reused), else None."""
        if self.secrets and not self._plain:
            return None
        text = _JUDGED.take(value, self.secrets)
        if text is None:
            try:
                text = _text(value)
            except (TypeError, ValueError):
                return None
            if self.secrets and self._might_hold_a_secret(text):
                return None
        if not text.isascii():
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                return None  # a lone surrogate: written with ASCII escapes below
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
