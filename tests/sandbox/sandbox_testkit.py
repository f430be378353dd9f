"""Helpers for the sandbox tests: Clockify's spec and the key lists of live responses
(docs/clockify-api.md) as a response check, and paths.

A module of its own (not conftest) so that test modules can import it by a unique name."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import httpx
from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

ROOT = Path(__file__).resolve().parents[2]
# The response schemas of the emulated routes, cut from Clockify's published OpenAPI
# description by scripts/extract_openapi.py.
SPEC_PATH = ROOT / "tests" / "data" / "clockify-openapi.json"
SPEC_URI = "urn:clockify:openapi"

# Where the official spec is wrong about what Clockify sends. Keys are patterns over
# `<object kind>/<path in that object>` (the kinds are those of ANSWERS below), matched segment
# by segment: `*` is exactly one segment (a kind, a key or an array index), never more.
# Durations need no entry: the spec's examples show milliseconds ("8000") but its types say
# string, which ISO-8601 strings are; likewise `public` is declared, and `isPublic` is
# write-only (checked absent below).
NULLABLE = {
    # The spec marks nothing nullable, yet Clockify sends null for every unset value.
    "timeEntry/timeInterval/end": "a running entry has no end",
    "timeEntry/timeInterval/duration": "nor a duration",
    "timeEntry/projectId": "an entry without a project",
    "timeEntry/taskId": "an entry without a task",
    "timeEntry/tagIds": "an entry without tags (docs/clockify-api.md §12.2)",
    "timeEntry/kioskId": "an entry not made on a kiosk",
    "*/memberships/*/hourlyRate": "any membership (user, workspace, project) without a rate",
    "*/memberships/*/costRate": "nor a cost rate",
    "project/costRate": "a project created without a cost rate",
    "project/budgetEstimate": "a project without a budget",
    "project/estimateReset": "a project whose estimate never resets",
    "project/timeEstimate/resetOption": "a time estimate that never resets",
    "workspace/workspaceSettings/lockTimeEntries": "a workspace that locks nothing",
    "workspace/workspaceSettings/lockTimeZone": "nor has a lock time zone",
    "workspace/workspaceSettings/automaticLock": "nor locks automatically",
    "workspace/subdomain/name": "a workspace without a subdomain",
    "workspace/featureSubscriptionType": "a workspace on the Free plan (docs/clockify-api.md §34)",
    "client/email": "a client created without an email",
    "client/address": "nor an address",
    "client/note": "nor a note",
    "client/ccEmails": "nor cc addresses",
    "clientDto/email": "a client replaced without an email",
    "clientDto/address": "nor an address",
    "clientDto/note": "nor a note",
    "clientDto/ccEmails": "nor cc addresses",
    "user/name": "a member invited who has not signed up (docs/clockify-api.md §18)",
    "user/settings": "nor has settings yet (§18)",
    "task/assigneeId": "deprecated, null (docs/clockify-api.md §17.1)",
    "task/hourlyRate": "a task without its own rate",
    "task/costRate": "nor a cost rate",
}
SPEC_MISTAKES = {
    "user/status": "AccountStatus is an enum string on the wire; the spec types it as an object",
    "workspace/features": "a list of Feature names; the spec types it as one Feature object",
    "workspace/workspaceSettings/adminOnlyPages": "a list of pages; the spec types it as one",
    "project/clientId": "live projects carry it (and clientName); the spec's ProjectDtoV1 omits both",
    "project/clientName": "see clientId",
    "task/status": "ACTIVE or DONE on the wire (docs/clockify-api.md §17.1); the spec types it as an object",
}


class Answer(NamedTuple):
    """What a route answers with: one object of a kind, or a list of them (`many`)."""

    kind: str
    many: bool = False
    rates: bool = False  # a time entry as GET sends it (TimeEntryWithRatesDtoV1)


_WS = "/v1/workspaces/{workspaceId}"
ANSWERS = {
    ("GET", "/v1/user"): Answer("user"),
    ("GET", "/v1/workspaces"): Answer("workspace", many=True),
    ("GET", f"{_WS}/projects"): Answer("project", many=True),
    ("POST", f"{_WS}/projects"): Answer("project"),
    ("GET", f"{_WS}/projects/{{projectId}}"): Answer("project"),
    ("GET", f"{_WS}/clients"): Answer("client", many=True),
    ("POST", f"{_WS}/clients"): Answer("client"),
    ("POST", f"{_WS}/time-entries"): Answer("timeEntry"),
    ("GET", f"{_WS}/time-entries/{{id}}"): Answer("timeEntry", rates=True),
    ("PUT", f"{_WS}/time-entries/{{id}}"): Answer("timeEntry"),
    ("GET", f"{_WS}/time-entries/status/in-progress"): Answer("timeEntry", many=True, rates=True),
    ("GET", f"{_WS}/user/{{userId}}/time-entries"): Answer("timeEntry", many=True, rates=True),
    ("POST", f"{_WS}/user/{{userId}}/time-entries"): Answer("timeEntry"),
    ("PATCH", f"{_WS}/user/{{userId}}/time-entries"): Answer("timeEntry"),
    ("GET", f"{_WS}/tags"): Answer("tag", many=True),
    ("POST", f"{_WS}/tags"): Answer("tag"),
    ("GET", f"{_WS}/users"): Answer("user", many=True),
    ("GET", _WS): Answer("workspace"),
    ("PUT", f"{_WS}/projects/{{projectId}}"): Answer("project"),
    ("GET", f"{_WS}/projects/{{projectId}}/tasks"): Answer("task", many=True),
    ("POST", f"{_WS}/projects/{{projectId}}/tasks"): Answer("task"),
    **{(method, f"{_WS}/tags/{{id}}"): Answer("tag") for method in ("GET", "PUT", "DELETE")},
    ("GET", f"{_WS}/clients/{{id}}"): Answer("client"),
    # The spec's ClientDtoV1: the client without `currencyCode`.
    ("PUT", f"{_WS}/clients/{{id}}"): Answer("clientDto"),
    ("DELETE", f"{_WS}/clients/{{id}}"): Answer("clientDto"),
    **{
        (method, f"{_WS}/projects/{{projectId}}/tasks/{{taskId}}"): Answer("task")
        for method in ("GET", "PUT", "DELETE")
    },
    ("PUT", f"{_WS}/projects/{{projectId}}/tasks/{{id}}/hourly-rate"): Answer("task"),
    ("PUT", f"{_WS}/projects/{{projectId}}/tasks/{{id}}/cost-rate"): Answer("task"),
    ("DELETE", f"{_WS}/projects/{{projectId}}"): Answer("project"),
    ("PATCH", f"{_WS}/projects/{{projectId}}/estimate"): Answer("project"),
    ("PATCH", f"{_WS}/projects/{{projectId}}/memberships"): Answer("project"),
    ("POST", f"{_WS}/projects/{{projectId}}/memberships"): Answer("project"),
    ("PATCH", f"{_WS}/projects/{{projectId}}/template"): Answer("project"),
    ("POST", f"{_WS}/projects/from-template"): Answer("project"),
    ("PUT", f"{_WS}/projects/{{projectId}}/users/{{userId}}/hourly-rate"): Answer("project"),
    ("PUT", f"{_WS}/projects/{{projectId}}/users/{{userId}}/cost-rate"): Answer("project"),
    ("PUT", f"{_WS}/hourly-rate"): Answer("workspace"),
    ("PUT", f"{_WS}/cost-rate"): Answer("workspace"),
    ("PUT", f"{_WS}/users/{{userId}}/hourly-rate"): Answer("workspace"),
    ("PUT", f"{_WS}/users/{{userId}}/cost-rate"): Answer("workspace"),
    ("PUT", f"{_WS}/users/{{userId}}"): Answer("workspace"),
    ("POST", "/v1/workspaces"): Answer("workspace"),
    ("GET", f"{_WS}/users/{{userId}}/managers"): Answer("user", many=True),
    ("POST", f"{_WS}/users/info"): Answer("user", many=True),
    ("PUT", f"{_WS}/user/{{userId}}/time-entries"): Answer("timeEntry", many=True),
    ("DELETE", f"{_WS}/user/{{userId}}/time-entries"): Answer("timeEntry", many=True),
    ("POST", f"{_WS}/user/{{userId}}/time-entries/{{id}}/duplicate"): Answer("timeEntry"),
}


def _keys(names: str) -> frozenset[str]:
    return frozenset(names.split())


_AMOUNT = _keys("amount currency")
# Exactly the keys each object carries, as patterns like those above. The spec's schemas
# require no key, so only these catch a missing one. From the key lists of live responses in
# docs/clockify-api.md (§ numbers below), except where said; objects not listed
# (workspaceSettings, of which only a selection is recorded) are left to the spec.
KEYS = {
    # §2, with customFields from [CSPEC]'s 2026 live shape.
    "user": _keys(
        "id email name memberships profilePicture activeWorkspace defaultWorkspace settings"
        " status customFields"
    ),
    "user/settings": _keys(
        "weekStart timeZone timeFormat dateFormat sendNewsletter weeklyUpdates longRunning"
        " scheduledReports approval pto alerts reminders timeTrackingManual"
        " summaryReportSettings isCompactViewOn dashboardSelection dashboardViewType"
        " dashboardPinToTop projectListCollapse collapseAllProjectLists"
        " groupSimilarEntriesDisabled myStartOfDay projectPickerTaskFilter lang"
        " multiFactorEnabled theme scheduling onboarding showOnlyWorkingDays"
    ),
    "user/settings/summaryReportSettings": _keys("group subgroup"),
    # §4 ([NOTES23]), the same for user, workspace and project memberships.
    "*/memberships/*": _keys("userId hourlyRate costRate targetId membershipType membershipStatus"),
    # §3.
    "workspace": _keys(
        "id name hourlyRate costRate memberships workspaceSettings imageUrl"
        " featureSubscriptionType features currencies subdomain cakeOrganizationId"
    ),
    "workspace/hourlyRate": _AMOUNT,
    "workspace/costRate": _AMOUNT,
    "workspace/currencies/*": _keys("id code isDefault"),
    "workspace/subdomain": _keys("enabled name"),
    # §4: the 19 keys of [AUDIT26] P11, [NOTES23] and [N8N].
    "project": _keys(
        "id name hourlyRate clientId workspaceId billable memberships color estimate archived"
        " duration clientName note costRate timeEstimate budgetEstimate estimateReset template"
        " public"
    ),
    "project/hourlyRate": _AMOUNT,
    "project/costRate": _AMOUNT,
    "project/estimate": _keys("estimate type"),
    "project/timeEstimate": _keys("estimate type resetOption active includeNonBillable"),
    # §15.1: the 10 keys of a live client list (2026), as the spec's ClientWithCurrencyDtoV1.
    "client": _keys(
        "id name email workspaceId archived address note currencyId currencyCode ccEmails"
    ),
    # §17.1: the 13 keys of [PROBE26]'s live tasks.
    "task": _keys(
        "assigneeId assigneeIds billable budgetEstimate costRate duration estimate hourlyRate id"
        " name projectId status userGroupIds"
    ),
    # §6: TimeEntryDtoImplV1; [NOTES23]'s GET form adds RATES.
    "timeEntry": _keys(
        "id description tagIds userId billable taskId projectId timeInterval workspaceId"
        " isLocked customFieldValues type kioskId"
    ),
    "timeEntry/timeInterval": _keys("start end duration"),
    "timeEntry/hourlyRate": _AMOUNT,
    "timeEntry/costRate": _AMOUNT,
    # §16.1: exactly four keys.
    "tag": _keys("id name archived workspaceId"),
    # The spec's ClientDtoV1 (PUT and DELETE answers), the client of §15.1 less currencyCode.
    "clientDto": _keys("id name email workspaceId archived address note currencyId ccEmails"),
    "task/hourlyRate": _AMOUNT,
    "task/costRate": _AMOUNT,
}
RATES = _keys("hourlyRate costRate")


def matches(pattern: str, where: str) -> bool:
    """Whether `where` fits `pattern` segment by segment, `*` standing for one segment."""
    wanted, actual = pattern.split("/"), where.split("/")
    return len(wanted) == len(actual) and all(
        w in ("*", a) for w, a in zip(wanted, actual, strict=True)
    )


# Spec schemas no validator can use, replaced by what the wire carries.
SCHEMA_REPLACEMENTS = {
    # `oneOf: [$ref FeaturePlan]` inside FeaturePlan itself: validation never ends.
    "FeaturePlan": {"type": "string"},
}

_WIRE_INSTANT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
_ISO_DURATION = re.compile(r"PT(?=\d)(\d+H)?(\d+M)?(\d+S)?")
_OBJECT_ID = re.compile(r"[0-9a-f]{24}")


def _is_wire_instant(value: object) -> bool:
    return not isinstance(value, str) or bool(_WIRE_INSTANT.fullmatch(value))


def _strict(node: Any) -> Any:
    """The spec with every declared object closed, so an undeclared key is an error at its own
    path, and with write-only properties forbidden in responses."""
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    strict = {key: _strict(value) for key, value in node.items()}
    if isinstance(node.get("properties"), dict):
        strict["properties"] = {
            name: {"not": {}} if isinstance(prop, dict) and prop.get("writeOnly") else _strict(prop)
            for name, prop in node["properties"].items()
        }
        strict.setdefault("additionalProperties", {"not": {}})
    return strict


def _pointer(parts: list[str]) -> str:
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


class SpecChecker:
    """Checks sandbox responses against the official spec, minus its known mistakes, and
    against the key lists of live responses (KEYS)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        spec = copy.deepcopy(spec)
        spec["components"]["schemas"].update(SCHEMA_REPLACEMENTS)
        resource = Resource.from_contents(_strict(spec), DRAFT7)
        self._registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
        self._formats = FormatChecker(formats=())
        self._formats.checks("date-time")(_is_wire_instant)
        self._templates = sorted(
            (
                (re.compile(re.sub(r"\{[^}]+\}", "[^/]+", template)), template)
                for template in spec["paths"]
            ),
            key=lambda pair: pair[1].count("{"),
        )
        self._paths = spec["paths"]
        self.forgiven: set[str] = set()
        self.checked: set[tuple[str, str]] = set()

    def _schema_pointer(self, method: str, path: str, status: int) -> tuple[str, str] | None:
        """The route's template and the JSON pointer of its response schema."""
        below_api = "/" + path.removeprefix("/api/").strip("/")
        for regex, template in self._templates:
            if regex.fullmatch(below_api):
                operation = self._paths[template].get(method.lower(), {})
                content = operation.get("responses", {}).get(str(status), {}).get("content")
                if not content:
                    return None
                self.checked.add((method, template))
                media_type = next(iter(content))
                where = ["paths", template, method.lower(), "responses", str(status)]
                return template, _pointer([*where, "content", media_type, "schema"])
        return None

    def problems(self, method: str, path: str, status: int, body: Any) -> list[str]:
        if status >= 400:
            shaped = isinstance(body, dict) and set(body) == {"message", "code"}
            ok = shaped and isinstance(body["message"], str) and type(body["code"]) is int
            return [] if ok else [f"error body is not {{message, code}}: {body!r}"]
        found_route = self._schema_pointer(method, path, status)
        if found_route is None:
            return [f"the spec has no {status} schema for {method} {path}"]
        template, pointer = found_route
        answer = ANSWERS.get((method, template))
        if answer is None:
            return [f"ANSWERS does not say what {method} {template} answers"]
        validator = Draft7Validator(
            {"$ref": SPEC_URI + "#" + pointer},
            registry=self._registry,
            format_checker=self._formats,
        )
        found = []
        for error in validator.iter_errors(body):
            parts = ["*" if isinstance(p, int) else str(p) for p in error.path]
            where = "/".join([answer.kind, *(parts[1:] if answer.many else parts)])
            allowed = [*(NULLABLE if error.instance is None else {}), *SPEC_MISTAKES]
            match = next((pattern for pattern in allowed if matches(pattern, where)), None)
            if match is None:
                found.append(f"{where}: {error.message}")
            else:
                self.forgiven.add(match)
        for item in body if answer.many and isinstance(body, list) else [body]:
            found += _key_problems(answer, item, answer.kind)
        return found + _wire_problems(body, "")


def _key_problems(answer: Answer, node: Any, where: str) -> list[str]:
    """Missing and extra keys of every object KEYS lists, in `node` and below."""
    found = []
    if isinstance(node, list):
        for item in node:
            found += _key_problems(answer, item, f"{where}/*")
    elif isinstance(node, dict):
        expected = next((keys for pattern, keys in KEYS.items() if matches(pattern, where)), None)
        if expected is not None:
            if where == answer.kind and answer.rates:
                expected |= RATES
            if set(node) != expected:
                missing, extra = sorted(expected - set(node)), sorted(set(node) - expected)
                found.append(f"{where}: missing keys {missing}, unexpected keys {extra}")
        for key, value in node.items():
            found += _key_problems(answer, value, f"{where}/{key}")
    return found


def _wire_problems(node: Any, where: str) -> list[str]:
    """Clockify's wire conventions the spec does not state: ids, durations."""
    found = []
    if isinstance(node, list):
        for index, item in enumerate(node):
            found += _wire_problems(item, f"{where}/{index}")
    elif isinstance(node, dict):
        for key, value in node.items():
            here = f"{where}/{key}"
            is_id = key == "id" or key.endswith("Id") or key == "activeWorkspace"
            if is_id and isinstance(value, str) and value and not _OBJECT_ID.fullmatch(value):
                found.append(f"{here}: {value!r} is not a 24-hex id")
            is_duration = key in ("duration", "estimate") and isinstance(value, str)
            if is_duration and not _ISO_DURATION.fullmatch(value):
                found.append(f"{here}: {value!r} is not an ISO-8601 duration")
            found += _wire_problems(value, here)
    return found


def response_hook(checker: SpecChecker | None) -> Callable[[httpx.Response], None]:
    """Fails the request (and so the test) whose response breaks Clockify's contract."""

    def check(response: httpx.Response) -> None:
        if checker is None or "json" not in response.headers.get("content-type", ""):
            return
        response.read()
        try:
            body = response.json()
        except ValueError:
            return  # a `truncate` fault at work
        request = response.request
        problems = checker.problems(request.method, request.url.path, response.status_code, body)
        assert not problems, f"{request.method} {request.url.path}: {problems}"

    return check


def checked_client(checker: SpecChecker | None, **options: Any) -> httpx.Client:
    """An httpx client whose every response is checked as the `connect` fixture's are."""
    return httpx.Client(event_hooks={"response": [response_hook(checker)]}, **options)


ClientFactory = Callable[..., httpx.Client]
