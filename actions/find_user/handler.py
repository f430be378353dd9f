from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import ActionError, ErrorType
from clockify_actions.resources.users.helpers import find_user, user_output

_FIELDS = ("name", "email")
_RULE = "give exactly one of name and email"


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    given = [field for field in _FIELDS if field in params]
    if len(given) != 1:
        # Both given: each is named; neither: the input as a whole.
        paths = [f"/{field}" for field in given] or [""]
        raise ActionError(
            ErrorType.VALIDATION,
            f"Invalid input: {_RULE}.",
            details=[{"path": path, "message": _RULE} for path in paths],
        )
    field = given[0]
    return user_output(find_user(client, params["workspace_id"], field, params[field]))
