"""The Windmill export read by Windmill's own parser of Python scripts (the npm package
its editor and CLI use to turn `main`'s signature into a form): every script's arguments
are those its metadata declares, in its order, required ones without a default, the
connection as the `clockify` resource."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from clockify_actions.adapters.cli import main

HERE = Path(__file__).resolve().parent
PARSER = "windmill-parser-wasm-py@1.782.0"
SCRIPT = HERE / "windmill_parse.mjs"
# The parser's name of a type, by the JSON Schema type of the metadata.
TYPES = {"string": {"str": None}, "boolean": "bool", "integer": "int", "number": "float"}


@pytest.fixture(scope="module")
def parser(tmp_path_factory: pytest.TempPathFactory) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is needed to read the Windmill export with Windmill's own parser")
    folder = tmp_path_factory.mktemp("npm-windmill")
    subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--loglevel=error", PARSER],
        cwd=folder,
        check=True,
        capture_output=True,
        timeout=600,
    )
    shutil.copy(SCRIPT, folder / SCRIPT.name)
    return folder


def test_windmill_reads_every_script_as_its_metadata_declares(
    parser: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "windmill", str(tmp_path)]) == 0
    capsys.readouterr()
    scripts = sorted(tmp_path.rglob("*.py"))
    assert scripts
    finished = subprocess.run(
        ["node", str(parser / SCRIPT.name), *map(str, scripts)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    parsed: dict[str, Any] = json.loads(finished.stdout)
    for script in scripts:
        metadata = yaml.safe_load(script.with_suffix(".script.yaml").read_text())["schema"]
        args = parsed[str(script)]["args"]
        assert [a["name"] for a in args] == metadata["order"], script.name
        for arg in args:
            declared = metadata["properties"][arg["name"]]
            assert arg["has_default"] == (arg["name"] not in metadata["required"]), arg
            if arg["name"] == "connection":
                assert arg["typ"] == {"resource": "clockify"}
            elif declared.get("type") in TYPES:
                assert arg["typ"] == TYPES[declared["type"]], (script.name, arg)
            elif declared.get("type") == "array":
                assert "list" in arg["typ"], (script.name, arg)
