"""`clockify-actions serve`: a long-lived worker for action runners.

One JSON request per line on stdin, `{"id": …, "action": …, "input": {…}}` with an
optional `"connection": {"api_key_env"|"region"|"base_url": …}`; one JSON response per
line on stdout, `{"id": …, "envelope": {…}}`, in order, flushed at once. The envelope is
nested, not merged, because results carry an `id` of their own. A bad line is
answered with an error line and the worker goes on; end of input ends it.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable
from typing import IO, Any

from clockify_actions import jsonio
from clockify_actions.errors import ActionError, ErrorType
from clockify_actions.redact import Redactor
from clockify_actions.runtime import ClientPool, Pack

log = logging.getLogger("clockify_actions")

MAX_LINE_BYTES = 1024 * 1024
CONNECTION_FIELDS = frozenset({"api_key_env", "region", "base_url"})
KEY_ENV_PREFIX = "CLOCKIFY_"
# Finds the id of a line that is not valid JSON, so that its error can still be matched.
_LOOSE_ID = re.compile(rb'"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")')


def _request(line: bytes) -> tuple[Any, dict[str, Any]]:
    """The request's id and the request, or a usage error."""
    if len(line) > MAX_LINE_BYTES:
        raise ActionError(
            ErrorType.VALIDATION, f"The request line is larger than {MAX_LINE_BYTES} bytes."
        )
    try:
        request = jsonio.loads(line)
    except ValueError as error:
        raise ActionError(
            ErrorType.VALIDATION, f"The request line is not valid JSON: {error}."
        ) from None
    if not isinstance(request, dict):
        raise ActionError(ErrorType.VALIDATION, "A request must be a JSON object.")
    return request.get("id"), request


def _loose_id(line: bytes) -> Any:
    """The id of a line that is not a valid request, where it can still be read."""
    match = _LOOSE_ID.search(line)
    if match is None:
        return None
    try:
        return json.loads(match.group(1))
    except ValueError:
        return None


def _connection_overrides(request: dict[str, Any]) -> dict[str, Any]:
    connection = request.get("connection") or {}
    if not isinstance(connection, dict) or set(connection) - CONNECTION_FIELDS:
        raise ActionError(
            ErrorType.VALIDATION,
            f"connection must be an object with only: {', '.join(sorted(CONNECTION_FIELDS))}.",
        )
    overrides = {k: v for k, v in connection.items() if k in ("region", "base_url")}
    if "api_key_env" in connection:
        name = str(connection["api_key_env"])
        # A request may name only the pack's own variables: otherwise any line could send
        # any secret of the worker's environment, as a key, to a base_url of its choosing.
        if not name.startswith(KEY_ENV_PREFIX):
            raise ActionError(
                ErrorType.VALIDATION,
                f"connection.api_key_env must name a variable starting with {KEY_ENV_PREFIX}.",
            )
        key = os.environ.get(name)
        if not key:
            raise ActionError(
                ErrorType.CONFIG,
                f"The environment variable {connection['api_key_env']} is not set.",
            )
        overrides["api_key"] = key
    return overrides


def _internal(error: Exception) -> ActionError:
    return ActionError(ErrorType.INTERNAL, f"Internal error: {type(error).__name__}: {error}")


def serve(pack: Pack, lines: Iterable[bytes], out: IO[str], defaults: dict[str, Any]) -> int:
    clients = ClientPool()
    redactor = pack.redactor(api_key=defaults.get("api_key"))
    try:
        for line in lines:
            if not line.strip():
                continue
            request_id: Any = None
            try:
                request_id, request = _request(line)
                if not isinstance(request.get("action"), str):
                    raise ActionError(
                        ErrorType.VALIDATION, 'A request needs "action": the name of an action.'
                    )
                options = {**defaults, **_connection_overrides(request)}
                envelope = pack.run(
                    request["action"], request.get("input", {}), clients=clients, **options
                )
                secrets = Redactor([*redactor.secrets, options.get("api_key")])
            except ActionError as error:
                envelope, secrets = error.envelope(), redactor
                if request_id is None:
                    request_id = _loose_id(line)
            except Exception as error:  # the last resort: one bad line never stops the worker
                log.debug("internal error on a request line", exc_info=True)
                envelope, secrets = _internal(error).envelope(), redactor
            out.write(secrets.dumps({"id": request_id, "envelope": envelope}) + "\n")
            out.flush()
    finally:
        clients.close()
    return 0
