"""The routes of Clockify's published spec under resources the sandbox does not emulate
(approvals, custom fields, expenses, holidays, invoices, scheduling, shared reports, time
off, user groups): each answers 501 "not emulated", never Spring's 404 (docs/clockify-api.md
§27 item 38), and 405 for a method Clockify does not serve there.

Every route of the resources the sandbox emulates is served by `_api`; the suite walks the
spec to keep it so. A resource's routes are tried before these: a resource newly emulated
serves its routes with no edit here, and the rest of its spec's routes still answer 501.
"""

from __future__ import annotations

# Below /workspaces/{workspace}/ on the API host, and the methods the spec lists.
_API_ROUTES: dict[str, tuple[str, ...]] = {
    "approval-requests": ("GET", "POST"),
    "approval-requests/resubmit-entries-for-approval": ("POST",),
    "approval-requests/users/{user}": ("POST",),
    "approval-requests/users/{user}/resubmit-entries-for-approval": ("POST",),
    "approval-requests/{approvalRequest}": ("PATCH",),
    "custom-fields": ("GET", "POST"),
    "custom-fields/{customField}": ("DELETE", "PUT"),
    "expenses": ("GET", "POST"),
    "expenses/categories": ("GET", "POST"),
    "expenses/categories/{category}": ("DELETE", "PUT"),
    "expenses/categories/{category}/status": ("PATCH",),
    "expenses/{expense}": ("DELETE", "GET", "PUT"),
    "expenses/{expense}/files/{file}": ("GET",),
    "holidays": ("GET", "POST"),
    "holidays/in-period": ("GET",),
    "holidays/{holiday}": ("DELETE", "PUT"),
    "invoices": ("GET", "POST"),
    "invoices/info": ("POST",),
    "invoices/settings": ("GET", "PUT"),
    "invoices/{invoice}": ("DELETE", "GET", "PUT"),
    "invoices/{invoice}/duplicate": ("POST",),
    "invoices/{invoice}/export": ("GET",),
    "invoices/{invoice}/items": ("POST",),
    "invoices/{invoice}/items/import": ("POST",),
    "invoices/{invoice}/items/{order}": ("DELETE",),
    "invoices/{invoice}/payments": ("GET", "POST"),
    "invoices/{invoice}/payments/{payment}": ("DELETE",),
    "invoices/{invoice}/status": ("PATCH",),
    "projects/{project}/custom-fields": ("GET",),
    "projects/{project}/custom-fields/{customField}": ("DELETE", "PATCH"),
    "scheduling/assignments/all": ("GET",),
    "scheduling/assignments/projects/totals": ("POST",),
    "scheduling/assignments/projects/totals/{project}": ("GET",),
    "scheduling/assignments/publish": ("PUT",),
    "scheduling/assignments/recurring": ("POST",),
    "scheduling/assignments/recurring/{assignment}": ("DELETE", "PATCH"),
    "scheduling/assignments/series/{assignment}": ("PUT",),
    "scheduling/assignments/user-filter/totals": ("POST",),
    "scheduling/assignments/users/{user}/totals": ("GET",),
    "scheduling/assignments/{assignment}/copy": ("POST",),
    "time-off/balance/policy/{policy}": ("GET", "PATCH"),
    "time-off/balance/user/{user}": ("GET",),
    "time-off/policies": ("GET", "POST"),
    "time-off/policies/{policy}": ("DELETE", "GET", "PATCH", "PUT"),
    "time-off/policies/{policy}/requests": ("POST",),
    "time-off/policies/{policy}/requests/{request}": ("DELETE", "PATCH"),
    "time-off/policies/{policy}/users/{user}/requests": ("POST",),
    "time-off/requests": ("POST",),
    "user-groups": ("GET", "POST"),
    "user-groups/{group}": ("DELETE", "PUT"),
    "user-groups/{group}/users": ("POST",),
    "user-groups/{group}/users/{user}": ("DELETE",),
}
# Below /v1/ on the reports host.
_REPORT_ROUTES: dict[str, tuple[str, ...]] = {
    "workspaces/{workspace}/reports/expenses/detailed": ("POST",),
    "workspaces/{workspace}/shared-reports": ("GET", "POST"),
    "workspaces/{workspace}/shared-reports/{report}": ("DELETE", "PUT"),
    "shared-reports/{report}": ("GET",),
}


def _patterns(
    routes: dict[str, tuple[str, ...]], prefix: tuple[str, ...]
) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Each route as `_api` matches it, literal segments before `{…}` ones, as Spring
    prefers a literal (`expenses/categories` before `expenses/{expense}`)."""
    found = [((*prefix, *path.split("/")), methods) for path, methods in routes.items()]
    return sorted(found, key=lambda item: [part.startswith("{") for part in item[0]])


API_ROUTES = _patterns(_API_ROUTES, ("workspaces", "{workspace}"))
REPORT_ROUTES = _patterns(_REPORT_ROUTES, ())
