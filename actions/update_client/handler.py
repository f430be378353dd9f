from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import ActionError, ErrorType, invalid
from clockify_actions.resources.clients.helpers import (
    ARCHIVE_FLAGS,
    CHANGEABLE,
    client_output,
    update_client,
)


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    if not any(name in params for name in CHANGEABLE):
        raise invalid("", f"give at least one field to change: {', '.join(CHANGEABLE)}")
    for flag in ARCHIVE_FLAGS:
        # What Clockify does with them on a PUT that does not archive is unknown (§15.3).
        if params.get(flag) and params.get("archived") is not True:
            raise ActionError(
                ErrorType.VALIDATION,
                f"Invalid input: {flag} goes with archived: true only.",
                details=[
                    {"path": f"/{flag}", "message": "goes with archived: true only"},
                    {"path": "/archived", "message": f"must be true with {flag}"},
                ],
            )
    updated = update_client(client, params["workspace_id"], params["client_id"], params)
    return client_output(updated)
