"""Receiving Clockify's webhooks: prove a delivery came from Clockify, then turn it into
the same event the matching polling trigger returns.

A delivery (docs/clockify-api.md §22.1) is a POST whose `Clockify-Signature` header is the
webhook's `authToken` itself (no HMAC over the body, no timestamp), whose
`Clockify-Webhook-Event-Type` header names the event, and whose body is the entity, flat
(§22.2). `verify` compares the header with the token in constant time and refuses a
mismatch before the body is read at all; it returns only an event that holds its
trigger's event schema.

Add-on webhooks carry an RS256 JWT in the same header instead; checking it needs an RSA
library the pack does not depend on, so such a delivery is refused with a message that
says so rather than accepted unchecked.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from clockify_actions import jsonio
from clockify_actions.errors import ActionError, ErrorType

if TYPE_CHECKING:
    from clockify_actions.runtime import Pack

SIGNATURE_HEADER = "Clockify-Signature"
EVENT_HEADER = "Clockify-Webhook-Event-Type"
MAX_BODY_BYTES = 1024 * 1024


def _refused(message: str) -> ActionError:
    return ActionError(ErrorType.AUTH, f"Webhook delivery refused: {message}")


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    values = [value for key, value in headers.items() if key.lower() == wanted]
    if len(values) > 1:
        raise _refused(f"it carries {len(values)} {name} headers; Clockify sends one.")
    return values[0].strip() if values else None


def _looks_like_jwt(signature: str) -> bool:
    parts = signature.split(".")
    return len(parts) == 3 and all(parts[:2]) and signature.startswith("eyJ")


def check_signature(headers: Mapping[str, str], token: str) -> None:
    """Refuses (`auth_error`) a delivery whose signature is not the webhook's token; a
    token that is empty or not text (bytes that are not UTF-8, as an environment variable
    may hold) is a `config_error`."""
    if not token:
        raise ActionError(ErrorType.CONFIG, "The webhook's token is empty; give its authToken.")
    # Compared as the exact bytes: replacing what cannot be encoded would make two
    # different tokens alike.
    try:
        expected = token.encode("utf-8")
    except UnicodeEncodeError:
        raise ActionError(
            ErrorType.CONFIG,
            "The webhook's token is not valid UTF-8 text; give its authToken as Create "
            "Clockify webhook or List Clockify webhooks shows it.",
        ) from None
    signature = _header(headers, SIGNATURE_HEADER)
    if not signature:
        raise _refused(
            f"it has no {SIGNATURE_HEADER} header, so nothing shows it came from Clockify."
        )
    try:
        given = signature.encode("utf-8")
    except UnicodeEncodeError:
        raise _refused(f"its {SIGNATURE_HEADER} is not text, so it is not the token.") from None
    # In time that does not depend on where they differ.
    if hmac.compare_digest(given, expected):
        return
    if _looks_like_jwt(signature):
        raise _refused(
            f"its {SIGNATURE_HEADER} is an add-on's signed token (JWT), which this pack does "
            "not verify; it verifies webhooks made with an API key, whose token is their "
            "authToken."
        )
    raise _refused(
        f"its {SIGNATURE_HEADER} does not match the webhook's token (a forged request, or "
        "the token was regenerated: Create Clockify webhook and List Clockify webhooks "
        "show the current one). The body was not read."
    )


def verify(
    headers: Mapping[str, str], body: bytes, token: str, *, pack: Pack | None = None
) -> dict[str, Any]:
    """The delivery's event, once its signature is proven: `{"trigger": <name of the
    polling trigger>, "webhook_event": <EVENT>, "events": [<event>]}`, the event in the
    trigger's own event schema (of `pack`, by default this installation's). Raises
    `ActionError`: `auth_error` for a signature that does not match (the body is then
    never parsed), `validation_error` for an event no trigger reports or a body that is
    not the entity, or does not make an event of the trigger's schema."""
    check_signature(headers, token)
    event_type = _header(headers, EVENT_HEADER)
    pack = pack or _installed_pack()
    # Each trigger's manifest names the Clockify event whose deliveries give its event.
    reporting = {t.webhook_event: t for t in pack.triggers.values()}
    if event_type not in reporting:
        raise ActionError(
            ErrorType.VALIDATION,
            f"The delivery is Clockify's, but its {EVENT_HEADER} is {event_type!r}, not an "
            f"event a trigger reports ({', '.join(reporting)}).",
        )
    trigger = reporting[event_type]
    if len(body) > MAX_BODY_BYTES:
        raise ActionError(
            ErrorType.VALIDATION, f"The delivery's body is over {MAX_BODY_BYTES} bytes."
        )
    try:
        entity = jsonio.loads(body)
    except ValueError as error:
        raise ActionError(
            ErrorType.VALIDATION, f"The delivery's body is not JSON: {error}."
        ) from None
    if not isinstance(entity, dict) or not isinstance(entity.get("id"), str):
        raise ActionError(
            ErrorType.VALIDATION,
            f"The {event_type} delivery's body is not a Clockify entity with an id.",
        )
    try:
        event = trigger.delivery_event(entity)
    except (KeyError, TypeError, ValueError) as error:
        raise ActionError(
            ErrorType.VALIDATION,
            f"The {event_type} delivery's body is not the entity Clockify sends: {error!r}.",
        ) from None
    problems = trigger.event_errors(event)
    if problems:
        from clockify_actions.runtime import problem

        found = [problem(error) for error in problems[:20]]
        raise ActionError(
            ErrorType.VALIDATION,
            f"The {event_type} delivery's body does not make a {trigger.name} event: "
            f"{found[0]['path'] or 'the event'} {found[0]['message']}.",
            details=found,
        )
    return {"trigger": trigger.name, "webhook_event": event_type, "events": [event]}


@cache
def _installed_pack() -> Pack:
    from clockify_actions.runtime import load_pack

    return load_pack()


def parse_request(raw: bytes) -> tuple[dict[str, str], bytes]:
    """The headers and body of an HTTP request as received (request line optional), e.g.
    one a receiver saved to a file."""
    separator = b"\r\n\r\n" if b"\r\n\r\n" in raw else b"\n\n"
    head, found, body = raw.partition(separator)
    if not found:
        raise ActionError(
            ErrorType.VALIDATION,
            "The request has no blank line between its headers and its body.",
        )
    headers: dict[str, str] = {}
    lines = head.decode("latin-1").splitlines()
    if lines and ":" not in lines[0].split(" ", 1)[0] and " " in lines[0]:
        lines = lines[1:]  # the request line, e.g. POST /hook HTTP/1.1
    for line in lines:
        name, colon, value = line.partition(":")
        if not colon or not name.strip():
            raise ActionError(ErrorType.VALIDATION, f"Not a header line: {line[:80]!r}.")
        key = name.strip()
        if any(k.lower() == key.lower() for k in headers) and key.lower() in (
            SIGNATURE_HEADER.lower(),
            EVENT_HEADER.lower(),
        ):
            raise _refused(f"it carries more than one {key} header; Clockify sends one.")
        headers[key] = value.strip()
    length = next((v for k, v in headers.items() if k.lower() == "content-length"), None)
    if length is not None and length.isdigit():
        body = body[: int(length)]
    return headers, body
