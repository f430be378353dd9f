"""Rates set by PUT (Clockify's API facts, part 3, §32.6): the workspace's, a member's, and a
project member's; a task's are the tasks' (`sandbox_items`). Amounts are integer cents,
`amount` required and ≥ 0; only the workspace rate takes a `currency`, the others reuse the
workspace's (LIKELY). There is no route to read a rate: GET on any of these paths is 405.

Each answers with the document it changed: the workspace (`WorkspaceDtoV1`, with the
member's rate on its membership) or the project (its member's rate on its membership).
`since` (`yyyy-MM-ddThh:mm:ssZ`) is checked and not applied: the sandbox keeps no rate
history. Live, it needs the HISTORIC_RATES module; what a workspace without it answers to
one is UNKNOWN, and a route names one module, so it is not declared here. A cost rate is
the LABOR_COST module's (§31.1).
"""

from __future__ import annotations

from clockify_actions.resources.projects.sandbox_collection import stored_project
from clockify_actions.sandbox._call import ADAPTERS, AUTH, Body, Call, string_field
from clockify_actions.sandbox._docs import Doc, membership
from clockify_actions.sandbox._errors import ApiError, body_error
from clockify_actions.sandbox._http import Response
from clockify_actions.sandbox._resources import Resource, Route
from clockify_actions.sandbox._store import dump
from clockify_actions.sandbox._time import parse_instant

_RATE_BODY = Body(
    f"{ADAPTERS}.requests.HourlyRateRequestV1",
    f"public java.lang.Object {ADAPTERS}.rate.RateHttpAdapter.set("
    f"java.lang.String,{ADAPTERS}.requests.HourlyRateRequestV1,{AUTH})",
)


def rate_body(call: Call) -> tuple[int, Doc]:
    """A rate request and its `amount`: required, an integer, not negative."""
    data = call.json(_RATE_BODY)
    amount = data.get("amount")
    if amount is None:
        raise ApiError(400, "amount: must not be null", 501)  # Bean Validation's; unrecorded
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise body_error("java.lang.Integer", amount)
    if amount < 0:
        raise ApiError(400, "amount: must be greater than or equal to 0", 501)  # unrecorded
    since = string_field(data, "since")
    if since is not None and parse_instant(since) is None:
        # Refused, as a date is that Jackson cannot read; the live answer is unrecorded.
        raise ApiError(400, f'since: Text "{since}" could not be parsed', 501)
    return amount, data


def _currency(call: Call) -> str:
    currency: str = call.workspace["hourlyRate"]["currency"]
    return currency


def _save_workspace(call: Call, doc: Doc) -> Response:
    call.db.execute("UPDATE workspaces SET doc = ? WHERE id = ?", (dump(doc), doc["id"]))
    return Response.json(200, dump(doc))


def set_workspace_hourly_rate(call: Call) -> Response:
    """The spec requires `currency`, but `{amount: 0}` alone was answered 200 live (§32.6):
    left out, the workspace keeps its currency here (the spec's "default USD" may be what
    live stores instead: UNKNOWN)."""
    amount, data = rate_body(call)
    currency = data.get("currency", _currency(call))
    if not isinstance(currency, str) or not 1 <= len(currency) <= 100:
        raise ApiError(400, "currency: size must be between 1 and 100", 501)
    doc = dict(call.workspace)
    doc["hourlyRate"] = {"amount": amount, "currency": currency}
    return _save_workspace(call, doc)


def set_workspace_cost_rate(call: Call) -> Response:
    amount, _ = rate_body(call)
    doc = dict(call.workspace)
    doc["costRate"] = {"amount": amount, "currency": _currency(call)}
    return _save_workspace(call, doc)


def _set_member_rate(call: Call, key: str) -> Response:
    user_id = call.member(call.params["user"])
    amount, _ = rate_body(call)
    doc = dict(call.workspace)
    found = [m for m in doc["memberships"] if m["userId"] == user_id]
    if not found:
        doc["memberships"].append(membership(user_id, doc["id"], "WORKSPACE"))
        found = doc["memberships"][-1:]
    found[0][key] = {"amount": amount, "currency": _currency(call)}
    return _save_workspace(call, doc)


def set_member_hourly_rate(call: Call) -> Response:
    return _set_member_rate(call, "hourlyRate")


def set_member_cost_rate(call: Call) -> Response:
    return _set_member_rate(call, "costRate")


def _set_project_member_rate(call: Call, key: str) -> Response:
    project = stored_project(call)
    user_id = call.member(call.params["user"])
    amount, _ = rate_body(call)
    found = [m for m in project["memberships"] if m["userId"] == user_id]
    if not found:
        # A workspace member not on the project: made one (INFERRED; unrecorded live).
        project["memberships"].append(membership(user_id, project["id"], "PROJECT"))
        found = project["memberships"][-1:]
    found[0][key] = {"amount": amount, "currency": _currency(call)}
    call.db.execute("UPDATE projects SET doc = ? WHERE id = ?", (dump(project), project["id"]))
    return Response.json(200, dump(project))


def set_project_member_hourly_rate(call: Call) -> Response:
    return _set_project_member_rate(call, "hourlyRate")


def set_project_member_cost_rate(call: Call) -> Response:
    return _set_project_member_rate(call, "costRate")


_PROJECT_MEMBER = "/workspaces/{workspace}/projects/{project}/users/{user}"
_MEMBER = "/workspaces/{workspace}/users/{user}"

RESOURCE = Resource(
    routes=(
        Route(f"{_PROJECT_MEMBER}/hourly-rate", {"PUT": set_project_member_hourly_rate}),
        Route(
            f"{_PROJECT_MEMBER}/cost-rate",
            {"PUT": set_project_member_cost_rate},
            feature="LABOR_COST",
        ),
        Route("/workspaces/{workspace}/hourly-rate", {"PUT": set_workspace_hourly_rate}),
        Route(
            "/workspaces/{workspace}/cost-rate",
            {"PUT": set_workspace_cost_rate},
            feature="LABOR_COST",
        ),
        Route(f"{_MEMBER}/hourly-rate", {"PUT": set_member_hourly_rate}),
        Route(f"{_MEMBER}/cost-rate", {"PUT": set_member_cost_rate}, feature="LABOR_COST"),
    ),
)
