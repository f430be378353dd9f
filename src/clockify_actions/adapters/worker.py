"""`clockify-actions serve`: a long-lived worker for action runners.

One JSON request per line on stdin, `{"id": …, "action": …, "input": {…}}` (or, to poll
a trigger, `{"id": …, "trigger": …, "input": {…}, "state": {…}}`) with an optional
`"connection": {"api_key_env"|"region"|"base_url"|"reports_base_url"|"workspace_id": …}`;
one JSON response per line on stdout, `{"id": …, "envelope": {…}}`, in order, flushed at once. The envelope is
nested, not merged, because results carry an `id` of their own. A bad line is
answered with an error line and the worker goes on; end of input ends it. An answer that
cannot be written whole (a reader that stopped reading, a full disk) stops it
(`AnswerLost`): what that answer said, a trigger's new state included, never reached the
runner, which keeps what it had.

A request line is not trusted with the worker's key: it may choose among Clockify's own
hosts and the base URL the worker was started with, and name only key variables (the
rules of `runtime.connection.Choices`, which Celery tasks follow too).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import IO, Any

from clockify_actions import jsonio
from clockify_actions.errors import ActionError, ErrorType
from clockify_actions.output import OutputLost
from clockify_actions.output import write as write_output
from clockify_actions.runtime import Choices, ClientPool, Pack, Redactor, refused_before_sending

log = logging.getLogger("clockify_actions")

MAX_LINE_BYTES = 1024 * 1024
_SKIP_CHUNK_BYTES = 64 * 1024


class AnswerLost(Exception):
    """The answer to request `request_id` could not be written whole; `reason` says why."""

    def __init__(self, request_id: Any, reason: str) -> None:
        super().__init__(f"the answer to {request_id!r} was lost: {reason}")
        self.request_id = request_id
        self.reason = reason


def request_lines(stream: IO[bytes]) -> Iterator[bytes]:
    """The stream's lines without their newline, each cut at `MAX_LINE_BYTES + 1` bytes:
    a longer line is yielded as that much of it (so that it is seen to be too long) and
    the rest of it is read and dropped in small chunks, never held."""
    while line := stream.readline(MAX_LINE_BYTES + 1):
        if line.endswith(b"\n"):
            yield line[:-1]
            continue
        yield line
        if len(line) > MAX_LINE_BYTES:
            while (rest := stream.readline(_SKIP_CHUNK_BYTES)) and not rest.endswith(b"\n"):
                pass


def _request(line: bytes) -> dict[str, Any]:
    """The request a line holds, or a usage error."""
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
    return request


def _invalid(message: str) -> ActionError:
    return ActionError(ErrorType.VALIDATION, message)


def _internal(error: Exception) -> ActionError:
    return ActionError(ErrorType.INTERNAL, f"Internal error: {type(error).__name__}: {error}")


def _answer(
    pack: Pack, request: dict[str, Any], clients: ClientPool, options: dict[str, Any]
) -> dict[str, Any]:
    """The envelope for an action request, or for a trigger request (`"trigger"`, with
    the `"state"` its previous poll returned, none the first time): the envelope of
    `Pack.poll`, whose `state` the runner keeps once it has handled the events."""
    options = dict(options)
    # The sandbox's clock, which its windows follow; actions keep the real one, as `run`.
    poll_clock = options.pop("poll_clock", None)
    if "trigger" in request:
        if "action" in request or not isinstance(request["trigger"], str):
            raise _invalid('A request names either "action" or "trigger" (a trigger\'s name).')
        if poll_clock is not None:
            options["clock"] = poll_clock
        return pack.poll(
            request["trigger"],
            request.get("input", {}),
            request.get("state"),
            clients=clients,
            **{k: v for k, v in options.items() if k != "dry_run"},
        )
    if not isinstance(request.get("action"), str):
        raise _invalid('A request needs "action": the name of an action (or "trigger").')
    return pack.run(request["action"], request.get("input", {}), clients=clients, **options)


def serve(pack: Pack, stream: IO[bytes], out: IO[str], defaults: dict[str, Any]) -> int:
    """Answer each request line of `stream` on `out` until end of input. An answer that
    cannot be written whole raises `AnswerLost`, and no further line is read."""
    clients = ClientPool()
    connections = Choices(pack, defaults)
    redactor = pack.redactor(api_key=defaults.get("api_key"))
    redactors = _Redactors(redactor)
    try:
        for line in request_lines(stream):
            if len(line) <= MAX_LINE_BYTES and not line.strip():
                continue
            request_id: Any = None
            writes = False  # whether the line asks for an action that writes
            try:
                request = _request(line)
                # Only a line that parsed whole says which request it is.
                request_id = request.get("id")
                name = request.get("action")
                action = pack.actions.get(name) if isinstance(name, str) else None
                writes = action is not None and not action.hints["read_only"]
                options = connections.options(request)
                envelope = _answer(pack, request, clients, options)
                secrets = redactors.get(options.get("api_key"))
            except ActionError as error:  # only ever raised before the action runs
                envelope = refused_before_sending(error, writes=writes).envelope()
                secrets = redactor
            except Exception as error:  # the last resort: one bad line never stops the worker
                log.debug("internal error on a request line", exc_info=True)
                envelope, secrets = _internal(error).envelope(), redactor
            try:
                write_output(out, _line(secrets, request_id, envelope))
            except OutputLost as lost:
                raise AnswerLost(request_id, lost.reason) from None
    finally:
        clients.close()
    return 0


def _line(secrets: Redactor, request_id: Any, envelope: dict[str, Any]) -> str:
    """`secrets.dumps({"id": request_id, "envelope": envelope})` and a line break, written
    from two parts so that the envelope `Pack.run` has just judged is not encoded again."""
    return f'{{"id": {secrets.dumps(request_id)}, "envelope": {secrets.dumps(envelope)}}}\n'


class _Redactors:
    """One redactor per API key a line names (the worker's own secrets and that key),
    built once, not for every line: a few keys at most."""

    def __init__(self, redactor: Redactor) -> None:
        self._base = redactor
        self._by_key: dict[Any, Redactor] = {}

    def get(self, api_key: Any) -> Redactor:
        try:
            known = self._by_key.get(api_key)
        except TypeError:  # not hashable: never a key that reaches Clockify
            known = None
        if known is None:
            known = Redactor([*self._base.secrets, api_key])
            if isinstance(api_key, str | None):
                if len(self._by_key) >= 16:
                    self._by_key.clear()
                self._by_key[api_key] = known
        return known
