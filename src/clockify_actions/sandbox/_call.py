"""One authorised request as a handler sees it (`Call`): its query, body and page
parameters read as Spring reads them, with Spring's refusals, and the paging and listing
filters that the resources share.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from ._docs import Doc
from ._errors import ApiError, body_error, not_belonging
from ._http import Response
from ._store import SandboxConfig, dump, name_key, new_ids

# Jackson reads application/json and any application/*+json, with or without parameters.
_JSON_MEDIA_TYPE = re.compile(r"application/(?:json|[^/;\s]+\+json)")
_SPRING_TRUE = {"true", "on", "yes", "1"}
_SPRING_FALSE = {"false", "off", "no", "0"}


@dataclass(frozen=True)
class Body:
    """The parameter types of one Spring handler, for its "body is missing" message."""

    request_type: str
    signature: str


# Clockify's Java packages, as its Spring messages name a handler's types.
ADAPTERS = "com.clockify.adapter.http.v1"
AUTH = "com.clockify.adapter.spring.security.CurrentAuth"


@dataclass
class Call:
    """One authorised request on its way through a handler."""

    db: sqlite3.Connection
    config: SandboxConfig
    user_id: str
    params: dict[str, str]
    query: dict[str, list[str]]
    body: bytes
    content_type: str | None = None
    workspace_doc: str = ""

    @cached_property
    def now(self) -> datetime:
        return self.config.now()

    @cached_property
    def workspace(self) -> Doc:
        doc: Doc = json.loads(self.workspace_doc)
        return doc

    def new_id(self) -> str:
        return new_ids(self.db, self.now)[0]

    def text(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    def flag(self, name: str) -> bool | None:
        """A boolean query parameter as Spring converts it; None when absent or empty."""
        raw = self.text(name)
        if not raw:
            return None
        if raw.lower() in _SPRING_TRUE | _SPRING_FALSE:
            return raw.lower() in _SPRING_TRUE
        # The live message for a malformed boolean is unknown; this is Spring's own wording.
        raise ApiError(
            400,
            "Failed to convert value of type 'java.lang.String' to required type 'boolean';"
            f" Invalid boolean value [{raw}]",
            501,
        )

    def integer(self, name: str, default: int) -> int:
        raw = self.text(name)
        if not raw:
            return default
        digits = raw[1:] if raw[:1] in "+-" else raw
        value = int(raw) if digits.isascii() and digits.isdigit() else None
        if value is None or not -(2**31) <= value < 2**31:
            raise ApiError(400, f'For input string: "{raw}"', 501)
        return value

    def page(self, default_size: int, max_size: int) -> tuple[int, int]:
        page = self.integer("page", 1)
        size = self.integer("page-size", default_size)
        if size < 1:
            raise ApiError(400, "Page size must be a positive value", 501)
        if size > max_size:
            raise ApiError(400, f"Page size cannot be larger than {max_size:,}.", 501)
        if page < 1:
            # Unknown live; the wording follows the page-size message.
            raise ApiError(400, "Page must be a positive value", 501)
        return page, size

    def json(self, body: Body) -> Doc:
        """The body, which must be a JSON object."""
        data = self.json_value(body)
        if not isinstance(data, dict):
            raise body_error(body.request_type, data)
        return data

    def json_value(self, body: Body) -> Any:
        """The body, any JSON value but null."""
        self._check_content_type()
        try:
            data = json.loads(self.body) if self.body.strip() else None
            # Escapes can make lone surrogates, which no stored or sent UTF-8 can carry.
            dump(data).encode()
        except (ValueError, RecursionError) as error:
            raise ApiError(400, f"JSON parse error: {error}", 3002) from None
        if data is None:
            raise ApiError(400, f"Required request body is missing: {body.signature}", 3002)
        return data

    def _check_content_type(self) -> None:
        """Spring's 415 for a body its JSON converter will not read. Without a Content-Type
        Spring assumes application/octet-stream, which it refuses only when a body came.
        The message is Spring 6's wording, inferred: Clockify's 415 was never recorded."""
        if self.content_type is None:
            if not self.body:
                return
            shown = "application/octet-stream"
        else:
            kind, *parameters = (part.strip() for part in self.content_type.split(";"))
            if _JSON_MEDIA_TYPE.fullmatch(kind.lower()):
                return
            # How Spring prints a MediaType: type and subtype lower-cased, no spaces.
            shown = ";".join([kind.lower(), *(p for p in parameters if p)])
        raise ApiError(415, f"Content-Type '{shown}' is not supported", 3000)

    def member(self, user_id: str) -> str:
        found = self.db.execute(
            "SELECT 1 FROM memberships WHERE user_id = ? AND workspace_id = ?",
            (user_id, self.params["workspace"]),
        ).fetchone()
        if found is None:
            raise not_belonging("User")
        return user_id


def paged(
    call: Call,
    sql: str,
    args: tuple[Any, ...],
    sizes: tuple[int, int] = (50, 5000),
    headers: dict[str, str] | None = None,
) -> Response:
    """A bare JSON array of stored documents, with Clockify's `Last-Page` header."""
    page, size = call.page(*sizes)
    rows = call.db.execute(f"{sql} LIMIT ? OFFSET ?", (*args, size + 1, (page - 1) * size))
    docs = [doc for (doc,) in rows]
    last = "true" if len(docs) <= size else "false"
    return Response.json(200, f"[{','.join(docs[:size])}]", {"Last-Page": last, **(headers or {})})


def string_field(data: Doc, key: str) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    raise body_error("java.lang.String", value)


def boolean_field(data: Doc, key: str) -> bool | None:
    value = data.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise body_error("boolean", value)


def strings_field(data: Doc, key: str) -> list[str] | None:
    value = data.get(key)
    if value is None or (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return value
    raise body_error("java.util.List<java.lang.String>", value)


def amount_field(data: Doc, key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, dict):
        amount = value.get("amount")
        if isinstance(amount, int) and not isinstance(amount, bool):
            if amount < 0:
                # The spec's `minimum: 0` (Bean Validation's text; the live one is unrecorded).
                raise ApiError(400, f"{key}.amount: must be greater than or equal to 0", 501)
            return amount
    raise body_error(f"{ADAPTERS}.requests.RateRequestV1", value)


def listing_filter(call: Call, strict_names: bool) -> tuple[str, tuple[str | bool, ...]]:
    """The workspace's records, by `archived` (omitted: both) and by `name`, which matches
    ignoring case: contained in the name, or the whole name when `strict_names`."""
    where = ["workspace_id = ?"]
    args: list[str | bool] = [call.params["workspace"]]
    archived = call.flag("archived")
    if archived is not None:
        where.append("archived = ?")
        args.append(archived)
    name = call.text("name")
    if name:
        where.append("name_key = ?" if strict_names else "instr(name_key, ?)")
        args.append(name_key(name))
    return " AND ".join(where), tuple(args)
