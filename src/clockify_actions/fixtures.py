"""Contract fixtures: recorded Clockify exchanges, replayed to prove that each action still
sends the same requests and returns the same outputs, without a network or an account.

A fixture is `actions/<name>/fixtures/<case>.yaml`: what to run (input, the connection and
client settings that matter, the clock) and what must come out (the exact success output,
or the error's type and the parts of it that must hold). The HTTP it replays is a vcrpy
cassette beside it, `actions/<name>/fixtures/cassettes/<case>.yaml`. This module is the one
implementation of loading, replaying and checking them, used by the contract test and by
`clockify-actions fixtures verify`; scripts/record_fixtures.py records cassettes with the
same VCR configuration, so that what is written is what is replayed.

vcrpy intercepts by patching httpx's transport classes process-wide while a cassette is in
use: verify in a process of its own (as the CLI does), not beside live traffic.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import vcr
import yaml
from jsonschema import Draft202012Validator
from vcr.errors import CannotOverwriteExistingCassetteException
from vcr.request import Request as VcrRequest

from clockify_actions.clockify import ClientSettings, RetrySettings, base_url_for
from clockify_actions.errors import ActionError, ErrorType
from clockify_actions.redact import PLACEHOLDER, Redactor
from clockify_actions.runtime import Pack
from clockify_actions.timeutil import TimestampError, parse_timestamp

FIXTURES_FOLDER = "fixtures"
CASSETTES_FOLDER = "cassettes"
SANDBOX, LIVE, HAND_WRITTEN = "sandbox", "live", "hand-written from api-facts"

# Headers whose value is a credential: recorded as the placeholder, never as sent.
SECRET_HEADERS = frozenset(
    {"x-api-key", "x-addon-token", "authorization", "proxy-authorization", "cookie", "set-cookie"}
)
# The other request headers a cassette keeps, and replay checks: they say how the body is to
# be read. Transport details and the User-Agent, whose version would turn every release into
# a diff of every cassette, are left out.
SENT_HEADERS = ("accept", "content-type")
# Derived from the body, which a cassette stores parsed and replay encodes again.
_DERIVED_RESPONSE_HEADERS = frozenset({"content-length"})

_SECRET_FIELD = re.compile(r"api[-_]?key|token|secret|passw(or)?d|credential", re.IGNORECASE)
# A long run of base64(url) characters mixing upper case, lower case and digits: the shape of
# Clockify's API keys and of token segments. Hex ids (lower case only) and timestamps differ.
_SECRET_SHAPE = re.compile(
    r"(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*[A-Z])(?=[A-Za-z0-9_-]*[a-z])(?=[A-Za-z0-9_-]*[0-9])"
    r"[A-Za-z0-9_-]{32,}=*"
)

# What the credential scan also flags, though recording does not rewrite it (that would
# alter real data): shorter mixed-case tokens such as older 16-character keys, bearer
# tokens, and credential-named query parameters.
_SUSPECT_SHAPE = re.compile(
    r"(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*[A-Z])(?=[A-Za-z0-9_-]*[a-z])(?=[A-Za-z0-9_-]*[0-9])"
    r"[A-Za-z0-9_-]{16,}"
    r"|(?i:\bBearer\s+\S+)"
    r"|(?i:[?&][a-z_-]*(?:key|token|secret|password)=[^&\s]+)"
)

_SERIALIZER = "readable-yaml"
_MATCH_ON = ("method", "scheme", "host", "port", "path", "query", "body", "sent_headers")

# Waits change when a retry is sent, never what is sent; in fixtures they take no time.
_INSTANT_RETRY = {"base_delay": 0.0001, "max_delay": 0.0002, "retry_after_cap": 0.001}

_EXPECTED_ERROR_KEYS = (
    "type",
    "message",
    "message_contains",
    "retryable",
    "http_status",
    "clockify_code",
    "details",
)
_FIXTURE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["description", "input", "expect", "exchanges"],
    "properties": {
        "description": {"type": "string", "minLength": 1},
        "recorded": {
            "type": "string",
            "pattern": f"^({SANDBOX}|{LIVE}|{HAND_WRITTEN} §.+)$",
        },
        "input": {"type": "object"},
        "connection": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"region": {"type": "string"}, "base_url": {"type": "string"}},
        },
        "settings": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "page_size": {"type": "integer", "minimum": 1},
                "max_pages": {"type": "integer", "minimum": 1},
                "max_response_bytes": {"type": "integer", "minimum": 1},
                "retry": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"max_attempts": {"type": "integer", "minimum": 1}},
                },
            },
        },
        "now": {"type": "string"},
        "api_key": {"enum": ["valid", "invalid"]},
        "setup": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["method", "path"],
                "properties": {
                    "method": {"enum": ["GET", "POST", "PUT", "PATCH", "DELETE"]},
                    "path": {"type": "string", "pattern": "^/"},
                    "json": {},
                },
            },
        },
        "faults": {"type": "array", "items": {"type": "object"}},
        "exchanges": {
            "description": "Each recorded exchange in order, as `METHOD STATUS`.",
            "type": "array",
            "minItems": 1,
            "items": {"type": "string", "pattern": "^(GET|POST|PUT|PATCH|DELETE) [1-5][0-9][0-9]$"},
        },
        "expect": {
            "type": "object",
            "minProperties": 1,
            "maxProperties": 1,
            "properties": {
                "output": {"type": "object"},
                "error": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["type"],
                    "properties": {
                        "type": {"enum": [kind.value for kind in ErrorType]},
                        "message": {"type": "string"},
                        "message_contains": {"type": "array", "items": {"type": "string"}},
                        "retryable": {"type": "boolean"},
                        "http_status": {"type": ["integer", "null"]},
                        "clockify_code": {"type": ["integer", "null"]},
                        "details": {"type": "array", "items": {"type": "object"}},
                    },
                },
            },
            "additionalProperties": False,
        },
    },
}
_FIXTURE_VALIDATOR = Draft202012Validator(_FIXTURE_SCHEMA)


class FixtureError(Exception):
    """A fixture file that cannot be run as written."""


class _Loader(yaml.SafeLoader):
    """YAML without implicit timestamps: `2026-01-28T09:00:00Z` stays the string it is in
    JSON, whether or not the author quoted it."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)


@dataclass(frozen=True)
class Fixture:
    action: str
    case: str
    path: Path
    description: str
    recorded: str
    input: dict[str, Any]
    expect: dict[str, Any]
    connection: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    now: datetime | None = None
    api_key: str = "valid"
    setup: list[dict[str, Any]] = field(default_factory=list)
    faults: list[dict[str, Any]] = field(default_factory=list)
    exchanges: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, pack: Pack, path: Path) -> Fixture:
        action, case = case_id(path).split("/")
        if action not in pack.actions:
            raise FixtureError(f"{path}: no action {action!r} in the pack")
        try:
            document = read_yaml(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            raise FixtureError(f"{path}: cannot be read: {error}") from None
        problems = sorted(_FIXTURE_VALIDATOR.iter_errors(document), key=lambda e: e.json_path)
        if problems:
            lines = "; ".join(f"{p.json_path}: {p.message}" for p in problems)
            raise FixtureError(f"{path} is not a valid fixture: {lines}")
        recorded = document.get("recorded", SANDBOX)
        if recorded != SANDBOX and document.get("faults"):
            raise FixtureError(f"{path}: only a sandbox recording can inject faults")
        if recorded.startswith(HAND_WRITTEN) and document.get("setup"):
            raise FixtureError(f"{path}: a hand-written cassette is never recorded, so no setup")
        fixture = cls(
            action=action,
            case=case,
            path=path,
            description=document["description"],
            recorded=recorded,
            input=document["input"],
            expect=document["expect"],
            connection=document.get("connection", {}),
            settings=document.get("settings", {}),
            now=_instant(path, document["now"]) if "now" in document else None,
            api_key=document.get("api_key", "valid"),
            setup=document.get("setup", []),
            faults=document.get("faults", []),
            exchanges=document["exchanges"],
        )
        expected = fixture.expect.get("output")
        if expected is not None:
            invalid = [
                e.message for e in pack.actions[action].response_validator.iter_errors(expected)
            ]
            if invalid:
                raise FixtureError(
                    f"{path}: expect.output breaks {action}'s response schema: {'; '.join(invalid)}"
                )
        fixture.base_url()  # a bad region or base URL is the fixture's fault: say so now
        return fixture

    @property
    def id(self) -> str:
        return f"{self.action}/{self.case}"

    @property
    def cassette(self) -> Path:
        return self.path.parent / CASSETTES_FOLDER / self.path.name

    @property
    def hand_written(self) -> bool:
        return self.recorded.startswith(HAND_WRITTEN)

    def base_url(self) -> str:
        """The API root, pinned here so that CLOCKIFY_REGION or CLOCKIFY_BASE_URL in the
        environment cannot send a replay to a host its cassette never saw."""
        try:
            return base_url_for(self.connection.get("region"), self.connection.get("base_url"))
        except ActionError as error:
            raise FixtureError(f"{self.path}: connection: {error.message}") from None

    def client_settings(self) -> ClientSettings:
        retry = RetrySettings(**{**self.settings.get("retry", {}), **_INSTANT_RETRY})
        sizes = {key: value for key, value in self.settings.items() if key != "retry"}
        # Pacing, like retry waits, changes only when requests go out.
        return ClientSettings(requests_per_second=None, retry=retry, **sizes)

    def clock(self) -> Callable[[], datetime]:
        now = self.now
        if now is None:
            return _no_clock
        return lambda: now

    def run(
        self, pack: Pack, *, api_key: str, transport: httpx.BaseTransport | None = None
    ) -> dict[str, Any]:
        """The action's envelope for this fixture's input, connection, settings and clock."""
        return pack.run(
            self.action,
            self.input,
            api_key=api_key,
            region=self.connection.get("region"),
            base_url=self.base_url(),
            transport=transport,
            settings=self.client_settings(),
            clock=self.clock(),
        )


def _instant(path: Path, value: str) -> datetime:
    try:
        return parse_timestamp(value)
    except TimestampError as error:
        raise FixtureError(f"{path}: now: {error}") from None


def _no_clock() -> datetime:
    raise FixtureError("the action read the clock, but the fixture sets no `now`")


def case_id(path: Path) -> str:
    """`<action>/<case>`: the test id of the fixture at `path`."""
    return f"{path.parents[1].name}/{path.stem}"


def fixture_paths(pack: Pack, action: str | None = None) -> list[Path]:
    """Every fixture file of the pack's actions (or of one), in a stable order."""
    if action is not None and action not in pack.actions:
        raise ActionError(
            ErrorType.VALIDATION,
            f"Unknown action {action!r}. Available: {', '.join(pack.actions)}.",
        )
    names = [action] if action is not None else list(pack.actions)
    return [
        path
        for name in names
        for path in sorted((pack.actions[name].folder / FIXTURES_FOLDER).glob("*.yaml"))
    ]


# --- cassettes: what is recorded, how it is stored, how a replayed request must match ---


def use_cassette(
    path: Path, record_mode: str, secrets: Iterable[str | None] = ()
) -> AbstractContextManager[Any]:
    """The cassette at `path`, in the one VCR configuration for recording and replaying.

    `secrets` (the API key in use) are replaced by the placeholder wherever they appear, as
    are credential headers, credential-named fields and secret-shaped values, before
    anything is written. Replay never plays an interaction twice.
    """
    known = _known_secrets(secrets)
    config = vcr.VCR(
        record_mode=record_mode,
        serializer=_SERIALIZER,
        match_on=_MATCH_ON,
        before_record_request=lambda request: _scrub_request(request, known),
        before_record_response=lambda response: _scrub_response(response, known),
        decode_compressed_response=True,
        record_on_exception=False,
    )
    config.register_serializer(_SERIALIZER, _ReadableYaml)
    config.register_matcher("sent_headers", _same_sent_headers)
    used: AbstractContextManager[Any] = config.use_cassette(str(path), allow_playback_repeats=False)
    return used


def _known_secrets(secrets: Iterable[str | None]) -> Redactor:
    return Redactor(s for s in secrets if s != PLACEHOLDER)


def _scrub_text(text: str, known: Redactor) -> str:
    return _SECRET_SHAPE.sub(PLACEHOLDER, known.text(text))


def _scrub_data(value: Any, known: Redactor) -> Any:
    if isinstance(value, str):
        return _scrub_text(value, known)
    if isinstance(value, list):
        return [_scrub_data(item, known) for item in value]
    if isinstance(value, dict):
        return {
            key: (
                PLACEHOLDER
                if _SECRET_FIELD.search(key) and isinstance(item, str)
                else _scrub_data(item, known)
            )
            for key, item in value.items()
        }
    return value


def _scrub_body(body: bytes | None, known: Redactor) -> bytes | None:
    if not body:
        return body
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return body
    try:
        data = json.loads(text)
    except ValueError:
        return _scrub_text(text, known).encode("utf-8")
    return _compact(_scrub_data(data, known)).encode("utf-8")


def _compact(data: Any) -> str:
    # The encoding httpx uses for `json=` and Clockify for its answers.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _scrub_request(request: VcrRequest, known: Redactor) -> VcrRequest:
    headers: dict[str, str] = {}
    for name, value in request.headers.items():
        lower = name.lower()
        if lower in SECRET_HEADERS:
            headers[lower] = PLACEHOLDER
        elif lower in SENT_HEADERS:
            headers[lower] = value
    body = request.body
    return VcrRequest(
        request.method,
        _scrub_text(request.uri, known),
        _scrub_body(body if isinstance(body, bytes) else None, known),
        headers,
    )


def _scrub_response(response: dict[str, Any], known: Redactor) -> dict[str, Any]:
    headers: dict[str, list[str]] = {}
    for name, values in response["headers"].items():
        lower = name.lower()
        if lower in SECRET_HEADERS:
            headers[lower] = [PLACEHOLDER for _ in values]
        elif lower not in _DERIVED_RESPONSE_HEADERS:
            headers[lower] = [_scrub_text(value, known) for value in values]
    body = response["body"]["string"]
    return {
        **response,
        "headers": headers,
        "body": {"string": _scrub_body(body, known) if isinstance(body, bytes) else body},
    }


def _same_sent_headers(sent: VcrRequest, recorded: VcrRequest) -> None:
    for name in (*SENT_HEADERS, "x-api-key"):
        if sent.headers.get(name) != recorded.headers.get(name):
            raise AssertionError(
                f"header {name}: {sent.headers.get(name)!r} != {recorded.headers.get(name)!r}"
            )


def _is_json(headers: dict[str, list[str]]) -> bool:
    return any("json" in value for value in headers.get("content-type", []))


class _ReadableYaml:
    """vcrpy serializer: YAML in which a JSON body is stored parsed (`json:`), so that a
    cassette diff reads as data; on load it is encoded again as the compact JSON that
    httpx and Clockify send."""

    @staticmethod
    def serialize(cassette: dict[str, Any]) -> str:
        interactions = []
        for interaction in cassette["interactions"]:
            request, response = interaction["request"], interaction["response"]
            stored_request = {
                "method": request["method"],
                "uri": request["uri"],
                "headers": request["headers"],
                **_stored_body(request["body"], request["headers"]),
            }
            stored_response = {
                "status": response["status"],
                "headers": response["headers"],
                **_stored_body(response["body"]["string"], response["headers"]),
            }
            interactions.append({"request": stored_request, "response": stored_response})
        document = {"version": cassette["version"], "interactions": interactions}
        return yaml.dump(
            document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1 << 20
        )

    @staticmethod
    def deserialize(text: str) -> dict[str, Any]:
        document = read_yaml(text)
        interactions = [
            {
                "request": {**_without_body(request), "body": _loaded_body(request)},
                "response": {**_without_body(response), "body": {"string": _loaded_body(response)}},
            }
            for request, response in (
                (interaction["request"], interaction["response"])
                for interaction in document["interactions"]
            )
        ]
        return {"version": document["version"], "interactions": interactions}


def _stored_body(body: Any, headers: dict[str, list[str]]) -> dict[str, Any]:
    if body in (None, "", b""):
        return {}
    if isinstance(body, str) and _is_json(headers):
        try:
            return {"json": json.loads(body)}
        except ValueError:
            pass
    return {"body": body}


def _loaded_body(message: dict[str, Any]) -> Any:
    if "json" in message:
        return _compact(message["json"])
    return message.get("body", "")


def _without_body(message: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in message.items() if key not in ("json", "body")}


class _Dumper(yaml.SafeDumper):
    """Writes a value that occurs twice twice, not as a YAML alias, so that every
    interaction reads on its own."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def credentials_in(text: str, known: Iterable[str | None] = ()) -> list[str]:
    """Where a stored cassette holds a credential instead of the placeholder: a credential
    header or credential-named field with another value, a `known` secret anywhere, or a
    secret-shaped value."""
    secrets = _known_secrets(known)
    findings: list[str] = []
    for where, key, value in _walk(read_yaml(text), "$"):
        if key is not None and key.lower() in SECRET_HEADERS and where.split(".")[-2] == "headers":
            if any(item != PLACEHOLDER for item in (value if isinstance(value, list) else [value])):
                findings.append(f"{where}: the credential header is not the placeholder")
        elif key is not None and _SECRET_FIELD.search(key) and isinstance(value, str | list):
            if any(item != PLACEHOLDER for item in (value if isinstance(value, list) else [value])):
                findings.append(f"{where}: a credential-named field is not the placeholder")
        elif isinstance(value, str) and (
            _scrub_text(value, secrets) != value or _SUSPECT_SHAPE.search(value)
        ):
            findings.append(f"{where}: holds a secret or a secret-shaped value")
    return findings


def _walk(value: Any, where: str, key: str | None = None) -> Iterator[tuple[str, str | None, Any]]:
    yield where, key, value
    if isinstance(value, dict):
        for name, item in value.items():
            yield from _walk(item, f"{where}.{name}", str(name))
    elif isinstance(value, list) and not (key and key.lower() in SECRET_HEADERS):
        for index, item in enumerate(value):
            yield from _walk(item, f"{where}[{index}]")


# --- replay and check ---


@dataclass
class Result:
    case: str
    problems: list[str]
    envelope: dict[str, Any] | None = None

    @property
    def passed(self) -> bool:
        return not self.problems


def check(pack: Pack, path: Path) -> Result:
    """Replay the fixture at `path` from its cassette alone and compare the outcome.

    It fails when the fixture is malformed, a request was not in the cassette, a recorded
    interaction went unused, the outcome differs from `expect`, or a success breaks the
    action's response schema.
    """
    try:
        fixture = Fixture.load(pack, path)
    except FixtureError as error:
        return Result(case_id(path), [str(error)])
    if not fixture.cassette.is_file():
        return Result(fixture.id, [f"no cassette at {fixture.cassette}"])
    with use_cassette(fixture.cassette, "none") as cassette:
        # The key a cassette holds is the placeholder: replay sends the same.
        envelope = fixture.run(pack, api_key=PLACEHOLDER)
        problems = _unrecorded(envelope)
        unused = [
            f"{request.method} {request.uri}"
            for index, request in enumerate(cassette.requests)
            if not cassette.play_counts[index]
        ]
        # The fixture says what traffic it proves (a 429, then the retry's 200), so a cassette
        # that lost or gained an exchange fails even where the outcome would not change.
        recorded = [
            f"{request.method} {response['status']['code']}"
            for request, response in zip(cassette.requests, cassette.responses, strict=True)
        ]
    if recorded != fixture.exchanges:
        problems.append(f"the cassette holds {recorded}, the fixture expects {fixture.exchanges}")
    if unused:
        problems.append(f"recorded interactions not used: {', '.join(unused)}")
    if not problems:
        problems = _compare(pack, fixture, envelope)
    return Result(fixture.id, problems, envelope)


def _unrecorded(envelope: dict[str, Any]) -> list[str]:
    # vcrpy raises inside the client; the runtime reports that as an internal error.
    error = envelope.get("error") or {}
    message = str(error.get("message", ""))
    if error.get("type") == ErrorType.INTERNAL and (
        CannotOverwriteExistingCassetteException.__name__ in message
    ):
        return [f"a request was not in the cassette: {message}"]
    return []


def _compare(pack: Pack, fixture: Fixture, envelope: dict[str, Any]) -> list[str]:
    if "output" in fixture.expect:
        problems = []
        if envelope != fixture.expect["output"]:
            problems.append(f"the output differs from expect.output:\n{_diff(fixture, envelope)}")
        validator = pack.actions[fixture.action].response_validator
        problems += [
            f"the output breaks the response schema: {e.message}"
            for e in validator.iter_errors(envelope)
        ]
        return problems
    expected = fixture.expect["error"]
    error = envelope.get("error") if envelope.get("status") == "error" else None
    if not isinstance(error, dict):
        return [f"expected a {expected['type']} error, got {json.dumps(envelope)}"]
    problems = []
    for key in _EXPECTED_ERROR_KEYS:
        if key not in expected:
            continue
        if key == "message_contains":
            problems += [
                f"error.message does not contain {part!r}: {error['message']!r}"
                for part in expected[key]
                if part not in error["message"]
            ]
        elif error.get(key) != expected[key]:
            problems.append(f"error.{key}: expected {expected[key]!r}, got {error.get(key)!r}")
    return problems


def _diff(fixture: Fixture, envelope: dict[str, Any]) -> str:
    def lines(value: Any) -> list[str]:
        return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False).splitlines()

    diff = difflib.unified_diff(
        lines(fixture.expect["output"]), lines(envelope), "expected", "actual", lineterm=""
    )
    return "\n".join(list(diff)[:60])


def verify(pack: Pack, action: str | None = None) -> dict[str, Any]:
    """Every fixture (or one action's) replayed: a success with the counts, or a
    `contract_error` envelope whose details give the counts, then each failure."""
    results = [check(pack, path) for path in fixture_paths(pack, action)]
    failures = [
        {"case": result.case, "reason": "\n".join(result.problems)}
        for result in results
        if not result.passed
    ]
    counts = {"fixtures": len(results), "passed": len(results) - len(failures)}
    if not results:
        failures.append({"case": action or "*", "reason": "no contract fixtures were found"})
    if failures:
        cases = ", ".join(failure["case"] for failure in failures)
        return ActionError(
            ErrorType.CONTRACT,
            f"{len(failures)} contract fixture(s) failed: {cases}.",
            details=[{**counts, "failed": len(failures)}, *failures],
            retryable=False,
        ).envelope()
    return {"status": "success", **counts, "failed": 0}
