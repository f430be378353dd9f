"""The JSON objects Clockify sends, built with every key its live responses carry."""

from __future__ import annotations

from typing import Any

Doc = dict[str, Any]

_WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"]


def membership(user_id: str, target_id: str, kind: str) -> Doc:
    return {
        "userId": user_id,
        "hourlyRate": None,
        "costRate": None,
        "targetId": target_id,
        "membershipType": kind,
        "membershipStatus": "ACTIVE",
    }


def user(user_id: str, name: str, email: str, time_zone: str, workspace_id: str) -> Doc:
    return {
        "id": user_id,
        "email": email,
        "name": name,
        "memberships": [],
        "profilePicture": "https://img.clockify.me/no-user-image.png",
        "activeWorkspace": workspace_id,
        "defaultWorkspace": workspace_id,
        "settings": {
            "weekStart": "MONDAY",
            "timeZone": time_zone,
            "timeFormat": "HOUR24",
            "dateFormat": "DD/MM/YYYY",
            "sendNewsletter": False,
            "weeklyUpdates": False,
            "longRunning": False,
            "scheduledReports": True,
            "approval": True,
            "pto": True,
            "alerts": True,
            "reminders": True,
            "timeTrackingManual": False,
            "summaryReportSettings": {"group": "PROJECT", "subgroup": "CLIENT"},
            "isCompactViewOn": False,
            "dashboardSelection": "ME",
            "dashboardViewType": "PROJECT",
            "dashboardPinToTop": False,
            "projectListCollapse": 50,
            "collapseAllProjectLists": False,
            "groupSimilarEntriesDisabled": False,
            "myStartOfDay": "09:00",
            "projectPickerTaskFilter": False,
            "lang": "EN",
            "multiFactorEnabled": False,
            "theme": "DEFAULT",
            "scheduling": True,
            "onboarding": False,
            "showOnlyWorkingDays": False,
        },
        "status": "ACTIVE",
        "customFields": [],
    }


def workspace(
    workspace_id: str,
    name: str,
    currency: str,
    member_ids: list[str],
    *,
    force_projects: bool = False,
    plan: str = "standard",
) -> Doc:
    from ._plans import SUBSCRIPTION, features  # here: _plans needs _store, which needs this

    return {
        "id": workspace_id,
        "name": name,
        "hourlyRate": {"amount": 0, "currency": currency},
        "costRate": {"amount": 0, "currency": currency},
        "memberships": [membership(uid, workspace_id, "WORKSPACE") for uid in member_ids],
        "workspaceSettings": {
            "timeRoundingInReports": False,
            "onlyAdminsSeeBillableRates": True,
            "onlyAdminsCreateProject": True,
            "onlyAdminsSeeDashboard": False,
            "defaultBillableProjects": True,
            "lockTimeEntries": None,
            "lockTimeZone": None,
            "round": {"round": "Round to nearest", "minutes": "15"},
            "projectFavorites": True,
            "canSeeTimeSheet": False,
            "canSeeTracker": True,
            "projectPickerSpecialFilter": False,
            "forceProjects": force_projects,
            "forceTasks": False,
            "forceTags": False,
            "forceDescription": False,
            "onlyAdminsSeeAllTimeEntries": False,
            "onlyAdminsSeePublicProjectsEntries": False,
            "trackTimeDownToSecond": True,
            "projectGroupingLabel": "client",
            "adminOnlyPages": [],
            "automaticLock": None,
            "onlyAdminsCreateTag": False,
            "onlyAdminsCreateTask": True,
            "timeTrackingMode": "DEFAULT",
            "isProjectPublicByDefault": True,
            "multiFactorEnabled": False,
            "durationFormat": "FULL",
            "numberFormat": "COMMA_PERIOD",
            "currencyFormat": "CURRENCY_SPACE_VALUE",
            "workingDays": _WEEKDAYS,
        },
        "imageUrl": "",
        "featureSubscriptionType": SUBSCRIPTION[plan],
        "features": features(plan),
        "currencies": [{"id": workspace_id[:-6] + "c0ffee", "code": currency, "isDefault": True}],
        "subdomain": {"enabled": False, "name": None},
        "cakeOrganizationId": workspace_id[:-6] + "ca4e00",
    }


def client(client_id: str, name: str, workspace: Doc, fields: Doc) -> Doc:
    currency = workspace["currencies"][0]
    return {
        "id": client_id,
        "name": name,
        "email": fields.get("email"),
        "workspaceId": workspace["id"],
        "archived": False,
        "address": fields.get("address"),
        "note": fields.get("note"),
        "currencyId": currency["id"],
        "currencyCode": currency["code"],
        "ccEmails": None,
    }


def project(
    project_id: str,
    name: str,
    workspace: Doc,
    creator_id: str,
    *,
    client: Doc | None = None,
    public: bool = False,
    billable: bool = False,
    archived: bool = False,
    color: str = "#03A9F4",
    note: str = "",
    hourly_rate: int = 0,
    cost_rate: int | None = None,
) -> Doc:
    currency = workspace["hourlyRate"]["currency"]
    return {
        "id": project_id,
        "name": name,
        "hourlyRate": {"amount": hourly_rate, "currency": currency},
        "clientId": client["id"] if client else "",
        "workspaceId": workspace["id"],
        "billable": billable,
        "memberships": [membership(creator_id, project_id, "PROJECT")],
        "color": color,
        "estimate": {"estimate": "PT0S", "type": "AUTO"},
        "archived": archived,
        "duration": "PT0S",
        "clientName": client["name"] if client else "",
        "note": note,
        "costRate": None if cost_rate is None else {"amount": cost_rate, "currency": currency},
        "timeEstimate": {
            "estimate": "PT0S",
            "type": "AUTO",
            "resetOption": None,
            "active": False,
            "includeNonBillable": True,
        },
        "budgetEstimate": None,
        "estimateReset": None,
        "template": False,
        "public": public,
    }


def time_entry(
    entry_id: str,
    workspace: Doc,
    user_id: str,
    interval: Doc,
    fields: Doc,
    project: Doc | None,
) -> Doc:
    """The entry as GET sends it (TimeEntryWithRatesDtoV1); `without_rates` gives the write form."""
    rate = project["hourlyRate"] if project else workspace["hourlyRate"]
    return {
        "id": entry_id,
        "description": fields.get("description") or "",
        # Live sends null, not [], for an entry without tags (docs/clockify-api.md §12.2).
        "tagIds": fields.get("tagIds") or None,
        "userId": user_id,
        "billable": bool(fields.get("billable")),
        "taskId": fields.get("taskId") or None,
        "projectId": project["id"] if project else None,
        "workspaceId": workspace["id"],
        "timeInterval": interval,
        "customFieldValues": [],
        "type": fields.get("type") or "REGULAR",
        "kioskId": None,
        "hourlyRate": dict(rate),
        "costRate": {"amount": 0, "currency": rate["currency"]},
        "isLocked": False,
    }


def without_rates(entry: Doc) -> Doc:
    """POST and PATCH answer with TimeEntryDtoImplV1, which has no rates."""
    return {key: value for key, value in entry.items() if key not in ("hourlyRate", "costRate")}


def tag(tag_id: str, name: str, workspace_id: str, *, archived: bool = False) -> Doc:
    return {"id": tag_id, "name": name, "workspaceId": workspace_id, "archived": archived}


def task(task_id: str, name: str, project: Doc, *, status: str = "ACTIVE") -> Doc:
    """A task as Clockify sends it: 13 keys, rates null until set (docs/clockify-api.md §17.1)."""
    return {
        "id": task_id,
        "name": name,
        "projectId": project["id"],
        "assigneeIds": [],
        "assigneeId": None,
        "userGroupIds": [],
        "estimate": "PT0S",
        "status": status,
        "budgetEstimate": 0,
        "duration": "PT0S",
        "billable": project["billable"],
        "hourlyRate": None,
        "costRate": None,
    }
