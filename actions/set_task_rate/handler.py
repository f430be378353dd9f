from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.errors import invalid
from clockify_actions.resources.tasks.helpers import set_task_rate, task_output, task_rates
from clockify_actions.timeutil import parse_timestamp, to_wire

# Clockify's rate amount is an int32 (docs/clockify-api.md §17.4); the pack's schema
# checker has no `maximum`, so the bound is checked here, before anything is sent.
MAX_AMOUNT = 2**31 - 1


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    if params["amount"] > MAX_AMOUNT:
        raise invalid("/amount", f"must be at most {MAX_AMOUNT} cents")
    body: dict[str, Any] = {"amount": params["amount"]}
    if "since" in params:
        body["since"] = to_wire(parse_timestamp(params["since"]))
    task = set_task_rate(
        client,
        params["workspace_id"],
        params["project_id"],
        params["task_id"],
        params["kind"],
        body,
    )
    return {**task_output(task), **task_rates(task)}
