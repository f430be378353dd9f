"""A project's time and budget estimates (docs/clockify-api.md §19.9): the body of
`PATCH …/estimate` and the estimates in the pack's output vocabulary.

A part the caller names (the time estimate, the budget) is sent whole, its options left out
taking their defaults, so that what is stored never depends on what was there before; a
part not named is not sent. Both are manual estimates (`type: MANUAL`): how Clockify
checks an AUTO one that carries a value is unknown.
"""

from __future__ import annotations

from typing import Any

from clockify_actions.resources.projects.wire import ProjectDetail
from clockify_actions.resources.rates.helpers import cents

TIME_OPTIONS = ("time_estimate_active", "time_estimate_reset", "include_non_billable")
BUDGET_OPTIONS = ("budget_estimate_active", "budget_estimate_reset", "include_expenses")


def estimate_body(params: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if "time_estimate" in params:
        body["timeEstimate"] = {
            "estimate": params["time_estimate"],
            "type": "MANUAL",
            "active": params.get("time_estimate_active", True),
            "includeNonBillable": params.get("include_non_billable", True),
            "resetOption": params.get("time_estimate_reset"),
        }
    if "budget_estimate" in params:
        body["budgetEstimate"] = {
            "estimate": params["budget_estimate"],
            "type": "MANUAL",
            "active": params.get("budget_estimate_active", True),
            "includeExpenses": params.get("include_expenses", False),
            "resetOption": params.get("budget_estimate_reset"),
        }
    return body


def estimates_output(project: ProjectDetail) -> dict[str, Any]:
    """The project's estimates as Clockify answered; the time estimate from the legacy
    `estimate` when `timeEstimate` is left out (its options then unknown: null)."""
    time, legacy, budget = project.time_estimate, project.estimate, project.budget_estimate
    if time is not None:
        time_output: dict[str, Any] | None = {
            "estimate": time.estimate,
            "active": time.active,
            "reset": time.reset_option,
            "include_non_billable": time.include_non_billable,
        }
    elif legacy is not None:
        time_output = {
            "estimate": legacy.estimate,
            "active": None,
            "reset": None,
            "include_non_billable": None,
        }
    else:
        time_output = None
    budget_output = None
    if budget is not None:
        budget_output = {
            "amount": cents(budget.estimate),
            "active": budget.active,
            "reset": budget.reset_option,
            "include_expenses": budget.include_expenses,
        }
    return {
        "id": project.id,
        "name": project.name,
        "workspace_id": project.workspace_id,
        "time_estimate": time_output,
        "budget_estimate": budget_output,
    }
