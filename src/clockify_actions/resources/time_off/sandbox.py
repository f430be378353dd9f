"""Time off, a paid module (`TIME_OFF`: Standard and up, switched on in the workspace's
settings): policies (`sandbox_policies`), requests (`sandbox_requests`) and balances
(`sandbox_balances`), with what they share in `sandbox_shared`; their tables and seed rows
(docs/clockify-api.md, "Time off"). Holidays and approvals, of the same module, are not
emulated yet.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from clockify_actions.sandbox._params import SORT_ORDERS
from clockify_actions.sandbox._resources import Resource, Route
from clockify_actions.sandbox._seed import (
    ARCHIVED_POLICY_ID,
    COLLEAGUE_USER_ID,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    OWN_PENDING_TIME_OFF_REQUEST_ID,
    PENDING_TIME_OFF_REQUEST_ID,
    SICK_LEAVE_POLICY_ID,
    VACATION_POLICY_ID,
)
from clockify_actions.sandbox._store import dump

_TABLES = (
    "CREATE TABLE IF NOT EXISTS time_off_policies (id TEXT PRIMARY KEY,"
    " workspace_id TEXT NOT NULL, name TEXT NOT NULL, archived INTEGER NOT NULL,"
    " doc TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS time_off_requests (id TEXT PRIMARY KEY,"
    " workspace_id TEXT NOT NULL, policy_id TEXT NOT NULL, user_id TEXT NOT NULL,"
    " status TEXT NOT NULL, start TEXT NOT NULL, doc TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS time_off_balances (id TEXT NOT NULL,"
    " workspace_id TEXT NOT NULL, policy_id TEXT NOT NULL, user_id TEXT NOT NULL,"
    " balance REAL NOT NULL, used REAL NOT NULL, PRIMARY KEY (policy_id, user_id))",
)
_BASE = "/workspaces/{workspace}/time-off"
_POLICY = f"{_BASE}/policies/{{policy}}"
_SORTS = ("USER", "POLICY", "USED", "BALANCE", "TOTAL")


def _policy(policy_id: str, name: str, unit: str, **changes: object) -> dict[str, object]:
    doc: dict[str, object] = {
        "id": policy_id,
        "workspaceId": DEMO_WORKSPACE_ID,
        "name": name,
        "allowNegativeBalance": False,
        "negativeBalance": None,
        "allowHalfDay": unit == "DAYS",
        "archived": False,
        "timeUnit": unit,
        "userIds": [DEMO_USER_ID, COLLEAGUE_USER_ID],
        "userGroupIds": [],
        "everyoneIncludingNew": False,
        "approve": {
            "requiresApproval": True,
            "teamManagers": False,
            "specificMembers": False,
            "userIds": [],
        },
        "automaticAccrual": None,
        "projectId": None,
        "automaticTimeEntryCreation": {
            "enabled": False,
            "defaultEntities": {"projectId": None, "taskId": None},
        },
    }
    doc.update(changes)
    return doc


def _seed(db: sqlite3.Connection) -> None:
    """Vacation (days, approved by an admin), sick leave (hours, approved on submission,
    everyone's), an archived policy; the demo user's and the colleague's balances, and the
    colleague's pending three days of vacation (Monday to Wednesday, in London), and the
    demo user's own pending Friday (in Berlin). A new
    file is seeded before its added tables are made: these are made here first."""
    for statement in _TABLES:
        db.execute(statement)
    policies = [
        _policy(VACATION_POLICY_ID, "Vacation", "DAYS"),
        _policy(
            SICK_LEAVE_POLICY_ID,
            "Sick leave",
            "HOURS",
            userIds=[],
            everyoneIncludingNew=True,
            allowNegativeBalance=True,
            negativeBalance={
                "amount": 16.0,
                "period": None,
                "shouldReset": False,
                "timeUnit": "HOURS",
            },
            approve={
                "requiresApproval": False,
                "teamManagers": False,
                "specificMembers": False,
                "userIds": [],
            },
        ),
        _policy(ARCHIVED_POLICY_ID, "Parental leave 2024", "DAYS", archived=True),
    ]
    db.executemany(
        "INSERT INTO time_off_policies (id, workspace_id, name, archived, doc) VALUES (?, ?, ?, ?, ?)",
        [(p["id"], p["workspaceId"], p["name"], p["archived"], dump(p)) for p in policies],
    )
    db.executemany(
        "INSERT INTO time_off_balances (id, workspace_id, policy_id, user_id, balance, used)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                "64b7c0de5eed000000001401",
                DEMO_WORKSPACE_ID,
                VACATION_POLICY_ID,
                DEMO_USER_ID,
                20.0,
                0.0,
            ),
            (
                "64b7c0de5eed000000001402",
                DEMO_WORKSPACE_ID,
                VACATION_POLICY_ID,
                COLLEAGUE_USER_ID,
                15.0,
                2.0,
            ),
            (
                "64b7c0de5eed000000001403",
                DEMO_WORKSPACE_ID,
                SICK_LEAVE_POLICY_ID,
                DEMO_USER_ID,
                40.0,
                0.0,
            ),
        ],
    )
    request: dict[str, Any] = {
        "id": PENDING_TIME_OFF_REQUEST_ID,
        "workspaceId": DEMO_WORKSPACE_ID,
        "policyId": VACATION_POLICY_ID,
        "policyName": "Vacation",
        "timeUnit": "DAYS",
        "userId": COLLEAGUE_USER_ID,
        "userName": "Sam Colleague",
        "userEmail": "sam.colleague@example.com",
        "userTimeZone": "Europe/London",
        "timeOffPeriod": {
            "period": {"start": "2026-03-02T00:00:00Z", "end": "2026-03-04T23:59:00Z"},
            "halfDay": False,
            "halfDayPeriod": "NOT_DEFINED",
            "halfDayHours": None,
        },
        "note": "Family visit",
        "status": {
            "statusType": "PENDING",
            "changedByUserId": None,
            "changedByUserName": "Sam Colleague",
            "changedForUserName": "Sam Colleague",
            "changedAt": None,
            "note": None,
        },
        "balanceDiff": 3.0,
        "createdAt": "2026-01-20T09:15:00Z",
        "balance": 15.0,
        "requesterUserId": COLLEAGUE_USER_ID,
        "requesterUserName": "Sam Colleague",
    }
    own = {
        **request,
        "id": OWN_PENDING_TIME_OFF_REQUEST_ID,
        "userId": DEMO_USER_ID,
        "userName": "Demo User",
        "userEmail": "demo.user@example.com",
        "userTimeZone": "Europe/Berlin",
        "timeOffPeriod": {
            **request["timeOffPeriod"],
            "period": {"start": "2026-03-05T23:00:00Z", "end": "2026-03-06T22:59:00Z"},
        },
        "note": "Dentist",
        "status": {
            **request["status"],
            "changedByUserName": "Demo User",
            "changedForUserName": "Demo User",
        },
        "balanceDiff": 1.0,
        "createdAt": "2026-01-21T10:00:00Z",
        "balance": 20.0,
        "requesterUserId": DEMO_USER_ID,
        "requesterUserName": "Demo User",
    }
    db.executemany(
        "INSERT INTO time_off_requests (id, workspace_id, policy_id, user_id, status, start, doc)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                doc["id"],
                DEMO_WORKSPACE_ID,
                VACATION_POLICY_ID,
                doc["userId"],
                "PENDING",
                doc["timeOffPeriod"]["period"]["start"],
                dump(doc),
            )
            for doc in (request, own)
        ],
    )


RESOURCE = Resource(
    routes=(
        Route(
            f"{_BASE}/policies",
            {"GET": "sandbox_policies:list_policies", "POST": "sandbox_policies:create_policy"},
            enums={"status": ("ACTIVE", "ARCHIVED", "ALL")},
            feature="TIME_OFF",
        ),
        Route(
            _POLICY,
            {
                "GET": "sandbox_policies:get_policy",
                "PUT": "sandbox_policies:update_policy",
                "DELETE": "sandbox_policies:delete_policy",
                "PATCH": "sandbox_policies:change_policy_status",
            },
            feature="TIME_OFF",
        ),
        Route(
            f"{_POLICY}/requests",
            {"POST": "sandbox_requests:create_request"},
            feature="TIME_OFF",
        ),
        Route(
            f"{_POLICY}/requests/{{request}}",
            {
                "DELETE": "sandbox_requests:delete_request",
                "PATCH": "sandbox_requests:change_request_status",
            },
            feature="TIME_OFF",
        ),
        Route(
            f"{_POLICY}/users/{{user}}/requests",
            {"POST": "sandbox_requests:create_request_for_user"},
            feature="TIME_OFF",
        ),
        Route(
            f"{_BASE}/requests",
            {"POST": "sandbox_requests:search_requests"},
            feature="TIME_OFF",
        ),
        Route(
            f"{_BASE}/balance/policy/{{policy}}",
            {"GET": "sandbox_balances:policy_balances", "PATCH": "sandbox_balances:update_balance"},
            enums={"sort": _SORTS, "sort-order": SORT_ORDERS},
            feature="TIME_OFF",
        ),
        Route(
            f"{_BASE}/balance/user/{{user}}",
            {"GET": "sandbox_balances:user_balances"},
            enums={"sort": _SORTS, "sort-order": SORT_ORDERS},
            feature="TIME_OFF",
        ),
    ),
    added_tables=_TABLES,
    seed=_seed,
    seed_after=("users", "workspaces"),
)
