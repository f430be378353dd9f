"""Clockify's error answers as the sandbox gives them: Spring's `{"message", "code"}` body
with the status, and the shared refusals (an id from elsewhere, a body of the wrong type).

Behaviour, messages and codes follow Clockify's live responses (see docs/clockify-api.md).
"""

from __future__ import annotations

from ._http import Response
from ._store import dump


class ApiError(Exception):
    def __init__(
        self, status: int, message: str, code: int, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = headers or {}

    def response(self) -> Response:
        return Response.json(
            self.status, dump({"message": self.message, "code": self.code}), self.headers
        )


def not_belonging(what: str) -> ApiError:
    # Clockify answers unknown, deleted and foreign ids alike, with 400 rather than 404.
    return ApiError(400, f"{what} doesn't belong to Workspace", 501)


def body_error(java_type: str, value: object) -> ApiError:
    kind = {
        dict: "Object",
        list: "Array",
        str: "String",
        bool: "Boolean",
        int: "Integer",
        float: "Floating-point",
    }[type(value)]
    return ApiError(
        400,
        f"JSON parse error: Cannot deserialize value of type `{java_type}` from {kind} value",
        3002,
    )
