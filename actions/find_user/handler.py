from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.users import find_user, user_output


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    given = [field for field in ("name", "email") if field in params]
    if len(given) != 1:
        raise invalid("", "give exactly one of name and email")
    field = given[0]
    return user_output(find_user(client, params["workspace_id"], field, params[field]))
