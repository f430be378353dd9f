from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import ActionError, ErrorType, invalid
from clockify_actions.resources.common.helpers import applied
from clockify_actions.resources.projects.helpers import set_project_rates
from clockify_actions.resources.rates.helpers import rate_body, rate_output
from clockify_actions.resources.rates.writes import RATE_ROUTES

# The body key of each rate, by input name.
_KEYS = {"hourly_rate": "hourlyRate", "cost_rate": "costRate"}


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    if not any(name in params for name in RATE_ROUTES):
        raise invalid("", "give hourly_rate, cost_rate or both")
    since = params.get("since")
    rates = {_KEYS[name]: rate_body(params[name], since) for name in _KEYS if name in params}
    project = set_project_rates(client, params["workspace_id"], params["project_id"], rates)
    result: dict[str, Any] = {
        "id": project.id,
        "name": project.name,
        "workspace_id": project.workspace_id,
        "hourly_rate": rate_output(project.hourly_rate),
        "cost_rate": rate_output(project.cost_rate),
    }
    # With since, which rate the answer shows (the old one until then?) is unknown.
    wrong = [
        name
        for name in _KEYS
        if since is None and name in params and (result[name] or {}).get("amount") != params[name]
    ]
    if wrong:
        shown = ", ".join(f"{name} {result[name]}" for name in wrong)
        raise applied(
            ActionError(
                ErrorType.CONTRACT,
                f"Clockify accepted the project's new rates, but answered other ones ({shown}). "
                "Look at the project's rates in Clockify before running this again.",
                details=[{"path": f"/{name}", "message": "answered otherwise"} for name in wrong],
            ),
            1,
        )
    return result
