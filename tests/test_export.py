"""`clockify-actions export PLATFORM DIR`: every platform's files come from the manifests,
the same on every export, and each is what its platform takes: StackStorm's own
meta-schema accepts every action, Windmill's `main` and Pipedream's props follow the
parameters and hints, and the Node-RED and n8n files call `serve --http`'s routes."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft4Validator

from clockify_actions.adapters.cli import main
from clockify_actions.adapters.export import PLATFORMS
from clockify_actions.errors import EXIT_CODES, ErrorType
from clockify_actions.runtime import Pack

DATA = Path(__file__).parent / "data"
ST2_PARAMETER_SCHEMA = json.loads((DATA / "stackstorm" / "action_params.json").read_text())
# The top-level keys `ActionAPI.schema` (st2common/models/api/action.py) accepts, and those
# it requires.
ST2_ACTION_KEYS = {
    "id", "ref", "uid", "name", "description", "enabled", "entry_point", "pack",
    "runner_type", "parameters", "output_schema", "tags", "notify", "metadata_file",
}  # fmt: skip
ST2_REQUIRED_KEYS = {"name", "runner_type"}
PYTHON_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


def export(platform: str, directory: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code = main(["export", platform, str(directory)])
    document: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert code == 0, document
    return document


def tree(directory: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from clockify_actions.adapters.export import export as write
    from clockify_actions.runtime import load_pack

    pack = load_pack()
    base = tmp_path_factory.mktemp("exported")
    for platform in PLATFORMS:
        write(pack, platform, base / platform)
    return {platform: base / platform for platform in PLATFORMS}


@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_an_export_says_its_files_and_regenerates_byte_for_byte(
    platform: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = export(platform, tmp_path / "first", capsys)
    again = export(platform, tmp_path / "again", capsys)
    assert first["files"] == sorted(tree(tmp_path / "first")) == again["files"]
    assert tree(tmp_path / "first") == tree(tmp_path / "again")


def test_an_unknown_platform_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "zapier", str(tmp_path)]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["type"] == "validation_error"
    assert not any(tmp_path.iterdir())


def test_a_directory_that_cannot_be_written_is_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "taken").write_text("a file, not a directory")
    assert main(["export", "prefect", str(tmp_path / "taken")]) == EXIT_CODES[ErrorType.CONFIG]
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["type"] == "config_error" and "taken" in error["message"]


# StackStorm


def st2_problems(parameter: Mapping[str, Any]) -> list[str]:
    return [e.message for e in Draft4Validator(ST2_PARAMETER_SCHEMA).iter_errors(parameter)]


def test_the_vendored_stackstorm_schema_refuses_what_stackstorm_refuses() -> None:
    assert st2_problems({"type": "string", "required": True, "secret": True}) == []
    assert st2_problems({"type": "string", "examples": ["x"]})
    assert st2_problems({"type": "string", "format": "date-time"})
    assert st2_problems({"type": "object", "required": ["a"]})


def test_the_pack_s_own_parameter_schemas_would_be_refused_by_stackstorm(pack: Pack) -> None:
    refused = [
        name
        for action in pack.actions
        for name, schema in pack.describe(action)["parameters"]["properties"].items()
        if st2_problems(schema)
    ]
    assert refused, "the export's rewriting would have nothing to do"


def test_every_stackstorm_action_validates_against_stackstorm_s_schema(
    pack: Pack, exported: dict[str, Path]
) -> None:
    folder = exported["stackstorm"]
    for name in pack.actions:
        metadata = yaml.safe_load((folder / "actions" / f"{name}.yaml").read_text())
        assert ST2_REQUIRED_KEYS <= set(metadata) <= ST2_ACTION_KEYS
        assert metadata["name"] == name
        assert (folder / "actions" / metadata["entry_point"]).is_file()
        problems = {p: st2_problems(s) for p, s in metadata["parameters"].items()}
        assert not any(problems.values()), (name, problems)
        manifest = pack.describe(name)["parameters"]
        marked = {p for p, s in metadata["parameters"].items() if s.get("required")}
        assert marked == set(manifest.get("required", ()))
        assert set(metadata["parameters"]) == {"clockify_action", *manifest["properties"]}
        assert metadata["parameters"]["clockify_action"]["default"] == name


def test_the_stackstorm_config_keeps_the_api_key_secret(exported: dict[str, Path]) -> None:
    config = yaml.safe_load((exported["stackstorm"] / "config.schema.yaml").read_text())
    assert config["api_key"]["secret"] is True
    assert not any(st2_problems(schema) for schema in config.values())


def test_the_stackstorm_pack_yaml_has_what_stackstorm_requires(exported: dict[str, Path]) -> None:
    # `PackAPI.schema` (st2common/models/api/pack.py): name, description, a semver version
    # and an author are required; the ref is lower case letters, digits and _.
    pack = yaml.safe_load((exported["stackstorm"] / "pack.yaml").read_text())
    assert {"name", "description", "version", "author"} <= set(pack)
    assert re.fullmatch(r"[a-z0-9_]+", pack["ref"])
    assert re.fullmatch(r"\d+\.\d+\.\d+", pack["version"])


def test_the_stackstorm_entry_point_is_python_3_8(exported: dict[str, Path]) -> None:
    script = (exported["stackstorm"] / "actions" / "clockify_action.py").read_text()
    ast.parse(script, feature_version=(3, 8))
    assert "clockify_actions" not in script.replace("clockify-actions", "")


# Windmill


def main_function(path: Path) -> ast.FunctionDef:
    module = ast.parse(path.read_text())
    return next(n for n in module.body if isinstance(n, ast.FunctionDef) and n.name == "main")


def expected_annotation(schema: Mapping[str, Any]) -> str:
    nullable = next((o for o in schema.get("anyOf", ()) if o.get("type") != "null"), None)
    if nullable is not None:
        return expected_annotation(nullable)
    if "type" not in schema and all(isinstance(value, str) for value in schema["enum"]):
        return "str"
    if schema["type"] == "array":
        return f"list[{expected_annotation(schema['items'])}]"
    return PYTHON_SCALARS[schema["type"]]


def test_windmill_main_takes_the_connection_then_required_then_typed_optional_arguments(
    pack: Pack, exported: dict[str, Path]
) -> None:
    folder = exported["windmill"] / "f" / "clockify"
    for name in pack.actions:
        schema = pack.describe(name)["parameters"]
        required = schema.get("required", [])
        function = main_function(folder / f"{name}.py")
        arguments = function.args.args
        defaults = len(function.args.defaults)
        assert [a.arg for a in arguments[: len(arguments) - defaults]] == ["connection", *required]
        assert all(isinstance(d, ast.Constant) and d.value is None for d in function.args.defaults)
        for argument in arguments[1:]:
            annotation = ast.unparse(argument.annotation) if argument.annotation else ""
            wanted = expected_annotation(schema["properties"][argument.arg])
            optional = "" if argument.arg in required else " | None"
            assert annotation == wanted + optional, (name, argument.arg)
        metadata = yaml.safe_load((folder / f"{name}.script.yaml").read_text())["schema"]
        assert metadata["order"] == [a.arg for a in arguments]
        assert metadata["required"] == ["connection", *required]
        assert metadata["properties"]["connection"]["format"] == "resource-clockify"


# Pipedream


def component(path: Path) -> dict[str, Any]:
    module = ast.parse(path.read_text())
    assigned = next(
        n
        for n in module.body
        if isinstance(n, ast.Assign) and n.targets[0].id == "COMPONENT"  # type: ignore[attr-defined]
    )
    value: dict[str, Any] = ast.literal_eval(assigned.value)
    return value


def test_pipedream_props_and_annotations_follow_the_manifest(
    pack: Pack, exported: dict[str, Path]
) -> None:
    for name in pack.actions:
        described = pack.describe(name)
        made = component(exported["pipedream"] / "clockify" / f"{name}.py")
        hints = described["hints"]
        assert made["annotations"] == {
            "readOnlyHint": hints["read_only"],
            "destructiveHint": hints["destructive"],
            "idempotentHint": hints["idempotent"],
            "openWorldHint": True,
        }
        properties = described["parameters"]["properties"]
        required = set(described["parameters"].get("required", ()))
        assert set(made["props"]) == set(properties)
        for prop, made_prop in made["props"].items():
            assert made_prop["optional"] is (prop not in required)
            assert made_prop["description"] == properties[prop].get("description", "")


# Node-RED and n8n


def test_node_red_has_one_http_request_per_action_on_serve_s_route(
    pack: Pack, exported: dict[str, Path]
) -> None:
    nodes = json.loads((exported["node-red"] / "flows.json").read_text())
    by_id = {node["id"]: node for node in nodes}
    assert len(by_id) == len(nodes)
    (tab,) = [n for n in nodes if n["type"] == "tab"]
    requests = [n for n in nodes if n["type"] == "http request"]
    routes = {n["url"].rsplit("/actions/", 1)[1] for n in requests}
    assert routes == set(pack.actions) and len(requests) == len(pack.actions)
    for node in requests:
        assert node["method"] == "POST" and node["authType"] == "bearer"
        assert node["url"].startswith("http://127.0.0.1:8787/actions/")
        assert node["z"] == tab["id"]
        assert [by_id[target]["type"] for target in node["wires"][0]] == ["debug"]


def test_n8n_has_one_http_request_node_per_action_on_serve_s_route(
    pack: Pack, exported: dict[str, Path]
) -> None:
    workflow = json.loads((exported["n8n"] / "clockify-actions.workflow.json").read_text())
    nodes = workflow["nodes"]
    assert {n["type"] for n in nodes} == {"n8n-nodes-base.httpRequest"}
    assert len({n["id"] for n in nodes}) == len({n["name"] for n in nodes}) == len(nodes)
    assert {n["parameters"]["url"].rsplit("/actions/", 1)[1] for n in nodes} == set(pack.actions)
    for node in nodes:
        assert node["parameters"]["method"] == "POST"
        assert node["parameters"]["genericAuthType"] == "httpBearerAuth"
    assert workflow["connections"] == {}


def test_the_server_url_is_the_one_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "n8n", str(tmp_path), "--server-url", "http://10.0.0.5:9000/"]) == 0
    capsys.readouterr()
    workflow = json.loads((tmp_path / "clockify-actions.workflow.json").read_text())
    assert all(
        n["parameters"]["url"].startswith("http://10.0.0.5:9000/actions/")
        for n in workflow["nodes"]
    )


# Every generated Python file compiles.


@pytest.mark.parametrize("platform", ["stackstorm", "windmill", "pipedream", "prefect"])
def test_every_generated_python_file_compiles(platform: str, exported: dict[str, Path]) -> None:
    scripts = list(exported[platform].rglob("*.py"))
    assert scripts
    for script in scripts:
        compile(script.read_text(), str(script), "exec")


# The StackStorm entry point, run as StackStorm's python runner would, on the sandbox.


@pytest.fixture
def st2_action(exported: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The exported entry point's action class, instantiated as StackStorm's python runner
    does (`Action(config=...)`), its `st2common` base class standing in for StackStorm's,
    and its CLI on the sandbox."""
    import importlib.util
    import shutil
    import sys

    from clockify_actions.sandbox import DB_ENV_VAR, DEMO_API_KEY

    runners = tmp_path / "st2" / "st2common" / "runners"
    runners.mkdir(parents=True)
    for package in (runners.parent, runners):
        (package / "__init__.py").write_text("")
    (runners / "base_action.py").write_text(
        "class Action:\n"
        "    def __init__(self, config=None, action_service=None):\n"
        "        self.config = config\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path / "st2"))
    monkeypatch.setenv("CLOCKIFY_SANDBOX", "1")
    monkeypatch.setenv(DB_ENV_VAR, str(tmp_path / "sandbox.sqlite3"))
    for loaded in [m for m in sys.modules if m.startswith("st2common")]:
        monkeypatch.delitem(sys.modules, loaded)
    path = exported["stackstorm"] / "actions" / "clockify_action.py"
    spec = importlib.util.spec_from_file_location("clockify_action", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cli = shutil.which("clockify-actions", path=str(Path(sys.executable).parent))
    return module.ClockifyAction(config={"api_key": DEMO_API_KEY, "cli": cli})


def test_the_stackstorm_entry_point_runs_the_action_and_returns_its_envelope(
    st2_action: Any,
) -> None:
    from clockify_actions.sandbox import DEMO_WORKSPACE_ID

    ok, envelope = st2_action.run(
        clockify_action="list_projects", workspace_id=DEMO_WORKSPACE_ID, archived=None
    )
    assert ok is True and envelope["status"] == "success"
    assert envelope["projects"]


def test_a_failed_action_fails_the_stackstorm_execution_with_the_envelope(
    st2_action: Any,
) -> None:
    ok, envelope = st2_action.run(clockify_action="get_workspace", workspace_id="not-an-id")
    assert ok is False
    assert envelope["error"]["type"] == "validation_error"


def test_a_stackstorm_entry_point_without_the_command_says_so(st2_action: Any) -> None:
    st2_action.config["cli"] = "/nonexistent/clockify-actions"
    ok, envelope = st2_action.run(clockify_action="list_workspaces")
    assert ok is False
    assert envelope["error"]["type"] == "config_error"
    assert "/nonexistent/clockify-actions" in envelope["error"]["message"]
