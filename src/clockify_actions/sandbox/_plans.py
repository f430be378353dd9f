"""Plans and paid modules: which of Clockify's `Feature`s a workspace's plan includes, the
modules switched off in its settings, and Clockify's answer to a route of a module the
workspace cannot use (docs/clockify-api.md, "Plans").

A route names its module (`Route.feature`); the router asks `refusal` before its handler.
"""

from __future__ import annotations

import json
import sqlite3

from ._errors import ApiError
from ._http import Response

# The modules of Clockify's help pages by the lowest plan that has them (CONFIRMED there:
# invoicing and time off on Standard; expenses, scheduling and custom fields on Pro; time
# for others on Basic; approvals LIKELY Standard). Clockify does not publish the tier of
# PROJECT_TEMPLATES, PROJECT_ESTIMATE, BULK_EDIT, HISTORIC_RATES, TASK_RATES, LABOR_COST,
# ATTENDANCE_REPORT and SHARED_REPORTS: the sandbox puts them on Pro, a stated assumption,
# not a fact.
_LADDER: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("FREE", ("TIME_TRACKING",)),
    ("BASIC", ("ADD_TIME_FOR_OTHERS", "ADMIN_PANEL", "ALERTS")),
    ("STANDARD", ("APPROVAL", "INVOICING", "TIME_OFF")),
    (
        "PRO",
        (
            "ATTENDANCE_REPORT",
            "BULK_EDIT",
            "CUSTOM_FIELDS",
            "EXPENSES",
            "HISTORIC_RATES",
            "LABOR_COST",
            "PROJECT_ESTIMATE",
            "PROJECT_TEMPLATES",
            "SCHEDULING",
            "SHARED_REPORTS",
            "TASK_RATES",
        ),
    ),
    ("ENTERPRISE", ("MANAGER_ROLE", "USER_CUSTOM_FIELDS")),
)

PLANS: tuple[str, ...] = tuple(tier.lower() for tier, _ in _LADDER)

# `featureSubscriptionType` of each plan as `GET /workspaces/{ws}` sends it ([SPEC]
# `FeaturePlan`); a workspace the sandbox makes gets one of these. Free is null, as a live
# answer for a workspace without a subscription has it (the spec's `FREE` is unseen).
SUBSCRIPTION: dict[str, str | None] = {
    "free": None,
    "basic": "BASIC_2021",
    "standard": "STANDARD_2021",
    "pro": "PRO_2021",
    "enterprise": "ENTERPRISE_2021",
}


def features(plan: str) -> list[str]:
    """What a plan (`free` ... `enterprise`) includes: its tier's features and those of
    every lower tier, sorted as Clockify's `features` list is."""
    included: list[str] = []
    for tier, added in _LADDER:
        included.extend(added)
        if tier.lower() == plan:
            return sorted(included)
    raise ValueError(f"unknown plan {plan!r}; use one of {', '.join(PLANS)}")


def _plan_of(subscription: str | None) -> str:
    """The ladder's plan of a `featureSubscriptionType`: `PRO_YEAR_2021` is pro. The
    bundles, trials and older names Clockify also sends are read as Enterprise (their
    tiers are not published)."""
    name = (subscription or "FREE").upper()
    for plan in PLANS:
        if name == plan.upper() or name.startswith(f"{plan.upper()}_"):
            return plan
    return "enterprise"


def refusal(db: sqlite3.Connection, workspace_doc: str, feature: str) -> ApiError | None:
    """Clockify's answer to a route of `feature` in the workspace, or None when it may be
    used. Off the plan: 402 with an empty body; expenses were answered 400 "Sin suscripción
    activa" instead (a Spanish-speaking account; the English text is unrecorded). On the
    plan but switched off: 403 `{"code": 501, "message": "Access Denied"}`, the answer
    Clockify also gives a role that lacks the right (the two cannot be told apart)."""
    doc = json.loads(workspace_doc)
    if feature not in features(_plan_of(doc.get("featureSubscriptionType"))):
        if feature == "EXPENSES":
            return ApiError(400, "Sin suscripción activa", 501)
        return _PaymentRequired()
    switched_off = db.execute(
        "SELECT 1 FROM modules_off WHERE workspace_id = ? AND feature = ?", (doc["id"], feature)
    ).fetchone()
    if switched_off is not None:
        return ApiError(403, "Access Denied", 501)
    return None


def set_plan(db: sqlite3.Connection, workspace_id: str, plan: str) -> None:
    """Puts the workspace on `plan`: its `featureSubscriptionType` and `features`."""
    included = features(plan)
    changed = db.execute(
        "UPDATE workspaces SET doc = json_set(doc, '$.featureSubscriptionType', ?,"
        " '$.features', json(?)) WHERE id = ?",
        (SUBSCRIPTION[plan], json.dumps(included), workspace_id),
    ).rowcount
    if changed != 1:
        raise KeyError(f"no sandbox workspace {workspace_id}")


def switch(db: sqlite3.Connection, workspace_id: str, feature: str, on: bool) -> None:
    """Switches a module on or off in the workspace's settings."""
    if feature not in features("enterprise"):
        raise ValueError(
            f"unknown module {feature!r}; use one of {', '.join(features('enterprise'))}"
        )
    if on:
        db.execute(
            "DELETE FROM modules_off WHERE workspace_id = ? AND feature = ?",
            (workspace_id, feature),
        )
    else:
        db.execute("INSERT OR IGNORE INTO modules_off VALUES (?, ?)", (workspace_id, feature))


def modules_off(db: sqlite3.Connection, workspace_id: str) -> list[str]:
    rows = db.execute(
        "SELECT feature FROM modules_off WHERE workspace_id = ? ORDER BY feature", (workspace_id,)
    )
    return [feature for (feature,) in rows]


class _PaymentRequired(ApiError):
    """402 with the empty body Clockify sends."""

    def __init__(self) -> None:
        super().__init__(402, "", 0)

    def response(self) -> Response:
        return Response(402, b"", {})
