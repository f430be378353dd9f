"""The exported Windmill scripts and Pipedream steps run their action: each is loaded as
its platform loads it, and called as its platform calls it, on the sandbox."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

from clockify_actions.adapters.export import export
from clockify_actions.clockify import ClientSettings
from clockify_actions.runtime import Pack, load_pack
from clockify_actions.sandbox import DEMO_API_KEY, DEMO_WORKSPACE_ID, Sandbox


class SandboxPack:
    """The pack as an exported file's `load_pack()` gives it, its runs sent to the
    sandbox whatever connection the file passes, and recorded."""

    def __init__(self, pack: Pack, sandbox: Sandbox) -> None:
        self.pack = pack
        self.sandbox = sandbox
        self.calls: list[tuple[str, dict[str, Any], dict[str, Any]]] = []

    def run(self, name: str, params: dict[str, Any], **connection: Any) -> dict[str, Any]:
        self.calls.append((name, params, connection))
        return self.pack.run(
            name,
            params,
            api_key=DEMO_API_KEY,
            base_url="http://sandbox.localhost/api/v1",
            transport=self.sandbox.transport(),
            settings=ClientSettings(requests_per_second=None),
        )


@pytest.fixture
def sandbox_pack(tmp_path: Path) -> Iterator[SandboxPack]:
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as sandbox:
        yield SandboxPack(load_pack(), sandbox)


def exported_module(
    platform: str, relative: str, tmp_path: Path, sandbox_pack: SandboxPack
) -> ModuleType:
    export(load_pack(), platform, tmp_path / platform)
    spec = importlib.util.spec_from_file_location(
        Path(relative).stem, tmp_path / platform / relative
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    vars(module)["load_pack"] = lambda: sandbox_pack
    return module


def test_a_windmill_script_runs_its_action_with_the_resource_s_key(
    tmp_path: Path, sandbox_pack: SandboxPack
) -> None:
    script = exported_module("windmill", "f/clockify/start_timer.py", tmp_path, sandbox_pack)
    connection = {"api_key": "the-resource-key", "region": "", "base_url": ""}
    envelope = script.main(connection, DEMO_WORKSPACE_ID, description="From Windmill")
    assert envelope["status"] == "success" and envelope["description"] == "From Windmill"
    ((name, params, given),) = sandbox_pack.calls
    assert name == "start_timer"
    assert params == {"workspace_id": DEMO_WORKSPACE_ID, "description": "From Windmill"}
    assert given == {"api_key": "the-resource-key", "region": None, "base_url": None}


def test_a_failed_windmill_script_raises_with_the_pack_s_error(
    tmp_path: Path, sandbox_pack: SandboxPack
) -> None:
    script = exported_module("windmill", "f/clockify/get_workspace.py", tmp_path, sandbox_pack)
    with pytest.raises(RuntimeError, match="validation_error"):
        script.main({"api_key": "k"}, "not-an-id")


def pipedream(inputs: dict[str, Any], body: dict[str, Any] | None = None) -> Any:
    """What a Pipedream Python step's handler is given: its inputs and earlier steps."""
    return SimpleNamespace(inputs=inputs, steps={"trigger": {"event": {"body": body or {}}}})


def test_a_pipedream_step_takes_its_props_from_its_inputs_else_the_trigger(
    tmp_path: Path, sandbox_pack: SandboxPack
) -> None:
    step = exported_module("pipedream", "clockify/start_timer.py", tmp_path, sandbox_pack)
    envelope = step.handler(
        pipedream(
            {"workspace_id": DEMO_WORKSPACE_ID},
            {"description": "From Pipedream", "billable": None, "unknown": 1},
        )
    )
    assert envelope["status"] == "success" and envelope["description"] == "From Pipedream"
    ((name, params, _),) = sandbox_pack.calls
    assert name == "start_timer"
    assert params == {"workspace_id": DEMO_WORKSPACE_ID, "description": "From Pipedream"}


def test_a_failed_pipedream_step_raises_with_the_pack_s_error(
    tmp_path: Path, sandbox_pack: SandboxPack
) -> None:
    step = exported_module("pipedream", "clockify/get_workspace.py", tmp_path, sandbox_pack)
    with pytest.raises(Exception, match="validation_error"):
        step.handler(pipedream({"workspace_id": "not-an-id"}))
