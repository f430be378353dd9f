"""Fault rules: answers the sandbox gives instead of, or after, doing what was asked."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import asdict, dataclass, fields
from http import HTTPStatus
from typing import Any, Literal, get_args

from ._http import Response

FaultAction = Literal["status", "delay", "drop", "timeout", "truncate"]
FaultWhen = Literal["before", "after"]
FaultBody = Literal["clockify", "empty", "html"]

ENV_VAR = "CLOCKIFY_SANDBOX_FAULTS"

_HTML_PAGE = (
    "<html>\r\n<head><title>{status} {phrase}</title></head>\r\n<body>\r\n"
    "<center><h1>{status} {phrase}</h1></center>\r\n</body>\r\n</html>\r\n"
)


@dataclass(frozen=True)
class Fault:
    """Acts on the next `times` requests whose method and path match (None: on every one).

    `when` says whether the fault strikes before the request is processed (nothing is written)
    or after it (the write happened, then the client sees the failure). Actions:

    - `status`: answer `status` with a `body` of kind `clockify` (`{"message","code"}`, the
      default), `empty` or `html` (the default for 502 and 504), and `Retry-After: retry_after`
      when set.
    - `delay`: wait `seconds`, then answer normally.
    - `drop`: close the connection without an answer.
    - `timeout`: never answer in time; a server waits `seconds` (default 10) before hanging up.
    - `truncate`: send the body cut in half: after processing the real answer, before it a
      `status` (default 500) error.

    `path` is a glob over the path below `/api/v1`: `*` is one segment, `**` any run of them.
    """

    action: FaultAction
    when: FaultWhen
    method: str = "*"
    path: str = "**"
    times: int | None = 1
    status: int | None = None
    seconds: float | None = None
    body: FaultBody | None = None
    retry_after: int | None = None

    def __post_init__(self) -> None:
        _check(self.action in get_args(FaultAction), f"unknown action {self.action!r}")
        _check(self.when in get_args(FaultWhen), "when must be 'before' or 'after'")
        _check(
            self.times is None or (_is_int(self.times) and self.times >= 1), "times must be >= 1"
        )
        _check(isinstance(self.method, str) and bool(self.method), "method must be a string")
        _check(isinstance(self.path, str) and self.path.startswith(("/", "*")), "bad path glob")
        _check(self.body is None or self.body in get_args(FaultBody), "unknown body kind")
        takes = {
            "status": {"status", "body", "retry_after"},
            "delay": {"seconds"},
            "drop": set(),
            "timeout": {"seconds"},
            "truncate": {"status"},
        }[self.action]
        for name in ("status", "seconds", "body", "retry_after"):
            _check(getattr(self, name) is None or name in takes, f"{self.action} takes no {name}")
        if self.action == "status":
            _check(self.status is not None, "a status fault needs a status")
        if self.status is not None:
            _check(_is_int(self.status) and 100 <= self.status <= 599, "status must be 100-599")
        if self.action == "delay":
            _check(self.seconds is not None, "a delay fault needs seconds")
        if self.seconds is not None:
            _check(_is_number(self.seconds) and self.seconds >= 0, "seconds must be >= 0")
        if self.retry_after is not None:
            _check(_is_int(self.retry_after) and self.retry_after >= 0, "retry_after must be >= 0")
        object.__setattr__(self, "method", self.method.upper())

    @classmethod
    def from_json(cls, data: object) -> Fault:
        if not isinstance(data, dict):
            raise ValueError("invalid fault rule: a rule is a JSON object")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        _check(not unknown, f"unknown fault field(s): {', '.join(unknown)}")
        _check("action" in data and "when" in data, "a fault rule needs action and when")
        return cls(**data)

    def to_json(self) -> dict[str, Any]:
        """The rule as JSON; `times` stays even when null, which means every request."""
        return {k: v for k, v in asdict(self).items() if v is not None or k == "times"}

    def matches(self, method: str, path: str) -> bool:
        return self.method in ("*", method.upper()) and bool(_glob(self.path).fullmatch(path))

    def response(self, processed: Response | None) -> Response | None:
        """What the client receives; None when it receives nothing at all."""
        if self.action == "delay":
            return processed
        if self.action in ("drop", "timeout"):
            return None
        if self.action == "truncate":
            whole = processed or _status_response(self.status or 500, "clockify", None)
            return Response(whole.status, whole.body[: len(whole.body) // 2], whole.headers)
        assert self.status is not None
        return _status_response(self.status, self.body, self.retry_after)


def faults_from_json(text: str) -> list[Fault]:
    """Rules from a JSON list, as `CLOCKIFY_SANDBOX_FAULTS` and the CLI carry them."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ValueError(f"fault rules are not JSON: {error}") from None
    except RecursionError:
        raise ValueError("fault rules are nested too deeply") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise ValueError("invalid fault rules: expected a JSON list of objects")
    return [Fault.from_json(item) for item in data]


def _status_response(status: int, body: FaultBody | None, retry_after: int | None) -> Response:
    headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    kind = body or ("html" if status in (502, 504) else "clockify")
    if kind == "empty":
        return Response(status, b"", headers)
    if kind == "html":
        page = _HTML_PAGE.format(status=status, phrase=phrase)
        return Response(status, page.encode(), {"Content-Type": "text/html", **headers})
    # Clockify's docs name the 429 message; other statuses get their reason phrase.
    message = "Too many requests" if status == 429 else phrase
    return Response.json(status, json.dumps({"message": message, "code": status}), headers)


@functools.lru_cache(maxsize=256)
def _glob(pattern: str) -> re.Pattern[str]:
    parts = re.split(r"(\*\*|\*)", pattern.rstrip("/") or "/")
    regex = "".join(
        ".*" if part == "**" else "[^/]*" if part == "*" else re.escape(part) for part in parts
    )
    return re.compile(regex)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(f"invalid fault rule: {message}")
