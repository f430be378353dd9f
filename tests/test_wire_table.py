"""The light wire objects (each resource's `wire.py`, generated from its pydantic models)
parse exactly what the pydantic models parse: the compiled table accepts a body only where
pydantic accepts it, and then builds the same values; every other body goes to pydantic,
which coerces or refuses it as before. Freshness of the generated file is checked with the
other generated files (tests/test_bundle.py)."""

from __future__ import annotations

import importlib
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any, get_args

import httpx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from clockify_actions import resources
from clockify_actions.clockify import ClientSettings, ClockifyClient
from clockify_actions.clockify.light import WireObject, from_pydantic, parse_fast
from clockify_actions.errors import ActionError, ErrorType
from clockify_actions.resources.projects.wire import Project
from clockify_actions.resources.rates.wire import Rate
from clockify_actions.resources.workspaces.wire import Workspace

ROOT = Path(__file__).resolve().parents[1]
# Every resource's generated twins, found as the generate command finds their models.
WIRE_MODULES = [
    importlib.import_module(f"{resources.__name__}.{path.parent.name}.wire")
    for path in sorted(Path(resources.__file__).parent.glob("*/models.py"))
]
TWINS: list[type[WireObject]] = [
    value
    for module in WIRE_MODULES
    for value in vars(module).values()
    if isinstance(value, type)
    and issubclass(value, WireObject)
    and value.__module__ == module.__name__
]
TWIN_BY_NAME = {twin.__name__: twin for twin in TWINS}


def _pydantic(twin: type[WireObject]) -> type[BaseModel]:
    return twin._wire.model()


def _pydantic_result(twin: type[WireObject], body: Any) -> WireObject | None:
    """What the client returned before the twins: pydantic's parse, as a twin (or None)."""
    try:
        parsed = _pydantic(twin).model_validate(body)
    except ValidationError:
        return None
    twin_of: WireObject = from_pydantic(twin._wire, parsed)
    return twin_of


def _same(twin: WireObject, model: BaseModel) -> bool:
    """Every attribute of the pydantic object, read through the twin, is equal."""
    for name in type(model).model_fields:
        mine, theirs = getattr(twin, name), getattr(model, name)
        if isinstance(theirs, BaseModel):
            if not _same(mine, theirs):
                return False
        elif isinstance(theirs, list) and any(isinstance(each, BaseModel) for each in theirs):
            if len(mine) != len(theirs) or not all(map(_same_or_none, mine, theirs)):
                return False
        elif type(mine) is not type(theirs) or not (mine == theirs or _both_nan(mine, theirs)):
            return False
    return True


def _same_or_none(twin: WireObject | None, model: BaseModel | None) -> bool:
    """An item of a list that may hold nulls (a report's `totals`)."""
    if twin is None or model is None:
        return twin is None and model is None
    return _same(twin, model)


def _both_nan(mine: Any, theirs: Any) -> bool:
    # NaN (which json.loads reads) is never equal to itself, yet both read the same.
    return isinstance(mine, float) and math.isnan(mine) and math.isnan(theirs)


def _fixture_bodies() -> list[dict[str, Any]]:
    """Every JSON object that a fixture's cassette has Clockify send, and every object
    nested in one (a time entry's interval, its rates)."""
    bodies: list[dict[str, Any]] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            bodies.append(value)
            value = list(value.values())
        if isinstance(value, list):
            for item in value:
                walk(item)

    for path in sorted(ROOT.glob("actions/*/fixtures/cassettes/*.yaml")):
        for interaction in yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]:
            walk(interaction["response"].get("json"))
    return bodies


FIXTURE_BODIES = _fixture_bodies()


def test_there_is_a_twin_for_every_model_an_action_reads() -> None:
    names = {twin.__name__ for twin in TWINS}
    assert {"Workspace", "User", "Project", "TimeEntry", "TimeEntryDetail", "Rate"} <= names
    assert len(FIXTURE_BODIES) > 50


@pytest.mark.parametrize("twin", TWINS, ids=lambda twin: twin.__name__)
def test_the_table_accepts_exactly_what_pydantic_accepts_on_the_fixtures(
    twin: type[WireObject],
) -> None:
    accepted = 0
    for body in FIXTURE_BODIES:
        try:
            model: BaseModel | None = _pydantic(twin).model_validate(body)
        except ValidationError:
            model = None
        fast = parse_fast(twin._wire, body)
        if fast is None and model is not None:
            # The one refusal pydantic overrules: a key that is a field's name rather than
            # its alias (pydantic reads it by name), left to pydantic on purpose.
            assert _names_a_field(twin, body), (twin.__name__, body)
            continue
        assert (fast is None) == (model is None), (twin.__name__, body)
        if fast is not None and model is not None:
            accepted += 1
            assert _same(fast, model), (twin.__name__, body)
    assert accepted


def _names_a_field(twin: type[WireObject], body: dict[str, Any]) -> bool:
    return _names_a_field_of(_pydantic(twin), body)


def _names_a_field_of(model: type[BaseModel], body: Any) -> bool:
    """Whether the body, or an object nested in it where a model is, uses a field's name
    that is not its alias (a weekly row's `id`, where a summary group's alias is `_id`)."""
    if not isinstance(body, dict):
        return False
    for name, info in model.model_fields.items():
        if name in body and info.alias not in (None, name):
            return True
        value = body.get(info.alias or name)
        items = value if isinstance(value, list) else [value]
        for nested in _models_in(info.annotation):
            if any(_names_a_field_of(nested, item) for item in items):
                return True
    return False


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in get_args(annotation) for model in _models_in(arg)]


# JSON as json.loads gives it: what Clockify's answers are made of.
_SCALARS = st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats() | st.text()
JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=8,
)
HUGE = st.sampled_from([10**400, -(10**400)])


def _keys(twin: type[WireObject]) -> list[str]:
    """The names a body of this model may use: aliases and attribute names."""
    fields = _pydantic(twin).model_fields
    return sorted({*(f.alias or name for name, f in fields.items()), *fields})


@st.composite
def near_valid(draw: st.DrawFn, twin: type[WireObject], depth: int = 0) -> Any:
    """A body around a valid one: each field mostly valid, sometimes missing, of another
    JSON type, something pydantic coerces, or under the attribute's own name."""
    body: dict[str, Any] = {}
    for name, field in _pydantic(twin).model_fields.items():
        key = field.alias or name
        if draw(st.integers(0, 9)) == 0:
            key = name
        choice = draw(st.integers(0, 19))
        if choice == 0:
            continue
        if choice == 1:
            body[key] = draw(JSON | HUGE)
        else:
            body[key] = draw(_value(field.annotation, depth, coerced=choice == 2))
    if draw(st.booleans()):
        body[draw(st.text(max_size=5))] = draw(JSON)
    return body


def _value(kind: Any, depth: int, coerced: bool) -> st.SearchStrategy[Any]:
    """A valid value of `kind`, or (`coerced`) one that pydantic converts to it."""
    import types
    import typing

    if kind is str:
        return st.text(max_size=8)
    if kind is bool:
        return st.sampled_from(["true", "false", 0, 1, 0.0]) if coerced else st.booleans()
    if kind is float:
        return st.sampled_from(["1.5", True, 10**400]) if coerced else st.floats() | st.integers()
    if kind is int:
        return st.sampled_from([1.0, 2.5, "3"]) if coerced else st.integers()
    if kind is object:
        return JSON
    twin = TWIN_BY_NAME.get(getattr(kind, "__name__", ""))
    if isinstance(twin, type) and issubclass(twin, WireObject):
        return near_valid(twin, depth + 1) if depth < 2 else st.just({})
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is list:
        return st.lists(_value(args[0], depth + 1, coerced), max_size=3)
    if origin in (types.UnionType, typing.Union):
        inner = next(arg for arg in args if arg is not type(None))
        return st.none() | _value(inner, depth, coerced)
    raise AssertionError(kind)


@pytest.mark.parametrize("twin", TWINS, ids=lambda twin: twin.__name__)
def test_the_table_never_accepts_what_pydantic_refuses_or_reads_differently(
    twin: type[WireObject],
) -> None:
    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(body=near_valid(twin) | JSON)
    def check(body: Any) -> None:
        try:
            model: BaseModel | None = _pydantic(twin).model_validate(body)
        except ValidationError:
            model = None
        fast = parse_fast(twin._wire, body)
        if fast is not None:
            # What the table accepts, pydantic accepts, and reads the same.
            assert model is not None and _same(fast, model), body
        # Whatever the table leaves to pydantic, the client then gets pydantic's answer.
        assert (_client_parse(twin, body) is None) == (model is None), body

    check()


_ANSWER: list[Any] = [None]
# One client answering whatever body is in _ANSWER: building a client per example is slow.
_CLIENT = ClockifyClient(
    "key",
    "https://api.clockify.me/api/v1",
    transport=httpx.MockTransport(
        lambda request: httpx.Response(200, content=json.dumps(_ANSWER[0]).encode())
    ),
    sleep=lambda seconds: None,
    settings=ClientSettings(requests_per_second=None),
)


def _client_parse(twin: type[WireObject], body: Any) -> WireObject | None:
    """The client's GET of `body` as `twin`: its object, or None for a contract error."""
    _ANSWER[0] = body
    try:
        parsed: WireObject = _CLIENT.get("/thing", twin)
        return parsed
    except ActionError as error:
        assert error.type is ErrorType.CONTRACT
        return None


def test_what_pydantic_coerces_arrives_coerced() -> None:
    """A bool sent as a string, an amount sent as an integer, an attribute's own name in
    place of Clockify's: the table leaves these to pydantic, which reads them as before."""
    project = _client_parse(Project, {"id": "p1", "name": "P", "archived": "true"})
    assert isinstance(project, Project) and project.archived is True
    project = _client_parse(Project, {"id": "p1", "name": "P", "client_id": "c1"})
    assert isinstance(project, Project) and project.client_id == "c1"
    rate = _client_parse(Rate, {"amount": 5000, "currency": "USD"})
    assert isinstance(rate, Rate) and rate.amount == 5000.0
    assert isinstance(rate.amount, float)


def test_a_refused_answer_is_explained_by_pydantic() -> None:
    client = ClockifyClient(
        "key",
        "https://api.clockify.me/api/v1",
        transport=httpx.MockTransport(
            lambda request: httpx.Response(200, json=[{"id": "w1"}, {"id": 2, "name": "W"}])
        ),
        sleep=lambda seconds: None,
    )
    with pytest.raises(ActionError) as caught:
        client.get_list("/workspaces", Workspace)
    assert caught.value.type is ErrorType.CONTRACT
    paths = [detail.get("path") for detail in caught.value.details]
    assert "/0/name" in paths and "/1/id" in paths


def test_wire_objects_are_frozen_and_compare_by_value() -> None:
    one = parse_fast(Workspace._wire, {"id": "w1", "name": "W"})
    two = parse_fast(Workspace._wire, {"id": "w1", "name": "W", "extra": 1})
    assert one == two and hash(one) == hash(two)
    assert repr(one) == "Workspace(id='w1', name='W')"
    with pytest.raises(AttributeError):
        one.name = "other"


def test_a_run_with_valid_answers_never_imports_pydantic(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from clockify_actions.adapters.cli import main\n"
        "code = main(['run', sys.argv[1], '--sandbox'])\n"
        "assert code == 0, code\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic')))\n"
    )
    for action in ("list_workspaces", "get_current_user"):
        result = subprocess.run(
            [sys.executable, "-c", "import json\n" + code, action],
            input="{}",
            capture_output=True,
            text=True,
            env={
                "CLOCKIFY_SANDBOX_DB": str(tmp_path / "sandbox.sqlite3"),
                "PATH": "/usr/bin:/bin",
            },
            timeout=600,
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout.splitlines()[-1]) == [], action


NO_PYDANTIC = """
import json, sys
from clockify_actions import load_pack
from clockify_actions.adapters.cli import SANDBOX_BASE_URL
from clockify_actions.clockify import ClientSettings
from clockify_actions.sandbox import DEMO_API_KEY, DEMO_WORKSPACE_ID, Sandbox

pack = load_pack()
for subject in [*pack.actions.values(), *pack.triggers.values()]:
    subject.handler  # imports the handler module and everything it imports
sandbox = Sandbox.open(sys.argv[1])
options = dict(
    api_key=DEMO_API_KEY,
    base_url=SANDBOX_BASE_URL,
    transport=sandbox.transport(),
    settings=ClientSettings(requests_per_second=None),
)
window = {"workspace_id": DEMO_WORKSPACE_ID, "start": "2020-01-01T00:00:00Z",
          "end": "2030-01-01T00:00:00Z"}
results = [
    pack.run("detailed_report", window, **options),
    pack.run("summary_report", {**window, "group_by": ["project", "user", "date"]}, **options),
]
for name in pack.triggers:
    first = pack.poll(name, {"workspace_id": DEMO_WORKSPACE_ID}, None, **options)
    results.append(first)
    results.append(pack.poll(name, {"workspace_id": DEMO_WORKSPACE_ID}, first.get("state"),
                             **options))
print(json.dumps([r["status"] for r in results]))
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic')))
"""


def test_no_action_or_trigger_imports_pydantic_on_valid_answers(tmp_path: Path) -> None:
    """Every handler's imports, both reports and a first and second poll of every trigger
    leave pydantic unimported (about 10 MiB and 60 ms of a start)."""
    result = subprocess.run(
        [sys.executable, "-c", NO_PYDANTIC, str(tmp_path / "sandbox.sqlite3")],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    statuses, modules = map(json.loads, result.stdout.splitlines()[-2:])
    assert set(statuses) == {"success"}, result.stdout
    assert modules == []


@pytest.mark.parametrize(
    "body",
    [
        {"id": "e1"},
        {"id": "e1", "auditMetadata": None, "name": "x", "nested": {"a": [1, 2]}},
        {"id": "e1", "auditMetadata": {"createdAt": "2026-01-01T00:00:00Z"}, "z": 1, "a": 2},
        {"id": "e1", "auditMetadata": {"createdAt": None, "updatedAt": "u", "other": 3}},
        {"id": "e1", "audit_metadata": {"createdAt": "c"}, "k": 1},
        {"id": "e1", "auditMetadata": {"created_at": "c"}},
        {"id": 5},
        {"name": "no id"},
        {"id": "e1", "auditMetadata": {"createdAt": 7}},
        {"id": "e1", "auditMetadata": "yesterday"},
    ],
)
def test_the_light_entity_reads_what_pydantic_reads(body: dict[str, Any]) -> None:
    from pydantic import ValidationError

    from clockify_actions.resources.changes.entity import Entity as LightEntity
    from clockify_actions.resources.changes.models import Entity

    try:
        expected = Entity.model_validate(body)
    except ValidationError:
        expected = None
    client = ClockifyClient(
        "k" * 12,
        "https://api.clockify.me/api/v1",
        transport=httpx.MockTransport(lambda request: httpx.Response(200, json=body)),
        settings=ClientSettings(requests_per_second=None),
    )
    if expected is None:
        with pytest.raises(ActionError) as caught:
            client.get("/x", LightEntity)
        assert caught.value.type is ErrorType.CONTRACT
        return
    parsed = client.get("/x", LightEntity)
    assert parsed.fields() == expected.fields()
    assert list(parsed.fields()) == list(expected.fields())
    audit = expected.audit_metadata
    assert (parsed.audit_metadata is None) == (audit is None)
    if audit is not None and parsed.audit_metadata is not None:
        assert parsed.audit_metadata.created_at == audit.created_at
        assert parsed.audit_metadata.updated_at == audit.updated_at
