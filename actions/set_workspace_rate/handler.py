from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.common.helpers import answered_about, written
from clockify_actions.resources.rates.helpers import rate_body, rate_output
from clockify_actions.resources.rates.wire import RatedWorkspace
from clockify_actions.resources.rates.writes import RATE_ROUTES, put_rates
from clockify_actions.resources.workspaces.wire import WorkspaceDetail


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    if not any(name in params for name in RATE_ROUTES):
        raise invalid("", "give hourly_rate, cost_rate or both")
    if "currency" in params and "hourly_rate" not in params:
        raise invalid("/currency", "is the hourly rate's: give hourly_rate too")
    workspace_id = params["workspace_id"]
    workspace_path = client.path("workspaces", workspace_id)
    currency = params.get("currency")
    if "hourly_rate" in params and currency is None:
        # Clockify takes an hourly rate without a currency, but which one it then stores
        # is unknown (docs/clockify-api.md §19.8): the workspace's own is sent back.
        current = client.get(workspace_path, WorkspaceDetail)
        answered_about(
            {"id": current.id}, {"id": workspace_id}, "workspace", f"GET {workspace_path}"
        )
        currency = current.hourly_rate.currency if current.hourly_rate else None

    def put(name: str, segment: str) -> tuple[RatedWorkspace, int]:
        path = client.path("workspaces", workspace_id, segment)
        body = rate_body(params[name], params.get("since"))
        if name == "hourly_rate" and currency is not None:
            body["currency"] = currency
        answer, writes = written(client, lambda: client.put(path, body, RatedWorkspace))
        answered_about(
            {"id": answer.id}, {"id": workspace_id}, "workspace", f"PUT {path}", writes=writes
        )
        return answer, writes

    workspace, _ = put_rates(params, put)
    return {
        "workspace_id": workspace.id,
        "hourly_rate": rate_output(workspace.hourly_rate),
        "cost_rate": rate_output(workspace.cost_rate),
    }
