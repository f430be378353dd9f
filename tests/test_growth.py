"""CONTRIBUTING.md's claims, proven on a copy of the checkout: a new action is its folder,
its fixture, its name in manifest.yaml and the generate command, and nothing else; a new
resource's wire models are its `models.py` and the generate command."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from clockify_actions.runtime import load_pack
from clockify_actions.sandbox import (
    ARCHIVED_CLIENT_ID,
    DEMO_CLIENT_ID,
    DEMO_WORKSPACE_ID,
    GLOBEX_CLIENT_ID,
)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
# What is not source: the copy is the checkout as a contributor has it.
NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "__pycache__",
    "*.egg-info",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
    "dist",
    "build",
    "*.sqlite3",
)

ACTION_YAML = """\
name: list_client_names
title: List Clockify client names
description: >-
  Retrieve the clients of a Clockify workspace. Use it to find the client_id that Create
  Clockify project takes.
hints: {read_only: true, destructive: false, idempotent: true}
toolset: catalog
clockify: ["GET /workspaces/{workspaceId}/clients"]
parameters:
  type: object
  additionalProperties: false
  required: [workspace_id]
  properties:
    workspace_id:
      $ref: "urn:clockify-actions:common#/$defs/ClockifyId"
      description: The ID of the workspace whose clients to list.
response:
  type: object
  additionalProperties: false
  required: [status, count, clients]
  properties:
    status: {$ref: "urn:clockify-actions:common#/$defs/Success"}
    count: {type: integer, minimum: 0, description: How many clients were returned.}
    clients:
      description: The workspace's clients, in Clockify's order.
      type: array
      items:
        type: object
        additionalProperties: false
        required: [id, name]
        properties:
          id: {$ref: "urn:clockify-actions:common#/$defs/ReturnedId", description: "The client's id."}
          name: {type: string, description: "The client's name."}
examples:
  - title: One client
    input: {workspace_id: 5f1a2b3c4d5e6f7a8b9c0d1e}
    output: {status: success, count: 1, clients: [{id: 7a8b9c0d1e2f3a4b5c6d7e8f, name: Acme Corp}]}
"""

HANDLER = """\
from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.clockify.models import Wire


class Client(Wire):
    id: str
    name: str


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    path = client.path("workspaces", params["workspace_id"], "clients")
    clients = client.get_all(path, Client)
    return {"count": len(clients), "clients": [{"id": c.id, "name": c.name} for c in clients]}
"""

FIXTURE = f"""\
description: The seeded workspace's clients, archived ones included.
input: {{workspace_id: {DEMO_WORKSPACE_ID}}}
expect:
  output:
    status: success
    count: 3
    clients:
      - {{id: {DEMO_CLIENT_ID}, name: Acme Corp}}
      - {{id: {GLOBEX_CLIENT_ID}, name: Globex}}
      - {{id: {ARCHIVED_CLIENT_ID}, name: Initech}}
exchanges: [GET 200]
"""

NEW_FILES = {
    "actions/list_client_names/action.yaml",
    "actions/list_client_names/handler.py",
    "actions/list_client_names/fixtures/all_clients.yaml",
    "actions/list_client_names/fixtures/cassettes/all_clients.yaml",
}
# The README's index of actions and the action reference page.
GENERATED = {"src/clockify_actions/runtime/pack.json", "README.md", "docs/actions.md"}


def _digests(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def _python(copy: Path, *args: str, sandbox_db: Path) -> subprocess.CompletedProcess[str]:
    """The copy's own code: its src/ first on the path, so pack_root() is the copy."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLOCKIFY_")}
    environment.update({"PYTHONPATH": str(copy / "src"), "CLOCKIFY_SANDBOX_DB": str(sandbox_db)})
    return subprocess.run(
        [sys.executable, *args],
        cwd=copy,
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
    )


def _cli(copy: Path, *args: str, sandbox_db: Path) -> Any:
    result = _python(copy, "-m", "clockify_actions", *args, sandbox_db=sandbox_db)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def _outside(text: str, markers: str) -> str:
    """The text but what the generate command writes between the two markers."""
    head, _, rest = text.partition(f"<!-- {markers}:start -->")
    return head + rest.partition(f"<!-- {markers}:end -->")[2]


def test_adding_an_action_is_four_edits(tmp_path: Path) -> None:
    copy = tmp_path / "pack"
    shutil.copytree(ROOT, copy, ignore=NOT_SOURCE)
    before = _digests(copy)
    db = tmp_path / "sandbox.sqlite3"

    # 1. The action's folder.
    folder = copy / "actions" / "list_client_names"
    folder.mkdir()
    (folder / "action.yaml").write_text(ACTION_YAML, encoding="utf-8")
    (folder / "handler.py").write_text(HANDLER, encoding="utf-8")
    # 2. Its fixture, and the cassette recorded for it on the sandbox.
    (folder / "fixtures").mkdir()
    (folder / "fixtures" / "all_clients.yaml").write_text(FIXTURE, encoding="utf-8")
    # 3. Its name in manifest.yaml (the actions list is the file's last key).
    manifest = copy / "manifest.yaml"
    last = list(load_pack().actions)[-1]
    assert manifest.read_text(encoding="utf-8").rstrip().endswith(f"- {last}")
    with manifest.open("a", encoding="utf-8") as stream:
        stream.write("  - list_client_names\n")
    recorded = _python(
        copy, "scripts/record_fixtures.py", "--action", "list_client_names", sandbox_db=db
    )
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr

    stale = _python(copy, "scripts/generate.py", "--check", sandbox_db=db)
    assert stale.returncode == 1
    assert "src/clockify_actions/runtime/pack.json is stale: run python scripts/generate.py" in (
        stale.stderr
    )
    assert "README.md is stale" in stale.stderr
    # 4. The generate command.
    generated = _python(copy, "scripts/generate.py", sandbox_db=db)
    assert generated.returncode == 0, generated.stderr

    listed = _cli(copy, "list", sandbox_db=db)
    assert [a["name"] for a in listed["actions"]][-1] == "list_client_names"
    described = _cli(copy, "describe", "list_client_names", sandbox_db=db)
    assert described["title"] == "List Clockify client names"
    assert "$ref" not in json.dumps(described)
    ran = _cli(
        copy,
        "run",
        "list_client_names",
        "--sandbox",
        "--param",
        f"workspace_id={DEMO_WORKSPACE_ID}",
        sandbox_db=db,
    )
    assert ran == {
        "status": "success",
        "count": 3,
        "clients": [
            {"id": DEMO_CLIENT_ID, "name": "Acme Corp"},
            {"id": GLOBEX_CLIENT_ID, "name": "Globex"},
            {"id": ARCHIVED_CLIENT_ID, "name": "Initech"},
        ],
    }
    assert _cli(copy, "fixtures", "verify", "--action", "list_client_names", sandbox_db=db) == {
        "status": "success",
        "fixtures": 1,
        "passed": 1,
        "failed": 0,
    }
    assert _cli(copy, "fixtures", "verify", sandbox_db=db)["failed"] == 0
    assert _python(copy, "scripts/generate.py", "--check", sandbox_db=db).returncode == 0

    after = _digests(copy)
    changed = {path for path in after if before.get(path) != after[path]}
    assert changed == NEW_FILES | GENERATED | {"manifest.yaml"}
    assert set(before) - set(after) == set()
    for page, markers in (("README.md", "index"), ("docs/actions.md", "reference")):
        before_text = (ROOT / page).read_text(encoding="utf-8")
        after_text = (copy / page).read_text(encoding="utf-8")
        assert _outside(after_text, markers) == _outside(before_text, markers), page
    readme_after = (copy / "README.md").read_text(encoding="utf-8")
    assert "[`list_client_names`](docs/actions.md#list-clockify-client-names)" in readme_after
    reference_after = (copy / "docs" / "actions.md").read_text(encoding="utf-8")
    assert "[List Clockify client names](#list-clockify-client-names)" in reference_after
    assert "### List Clockify client names" in reference_after


INVOICE_MODELS = """\
\"\"\"Clockify's invoice, as far as a test reads it.\"\"\"

from pydantic import Field

from clockify_actions.clockify.models import Wire
from clockify_actions.resources.rates.models import Rate


class Invoice(Wire):
    id: str
    number: str | None = None
    amount: Rate | None = Field(default=None, alias="amountDue")
"""

READ_INVOICE = """\
import json, sys
from clockify_actions.clockify.light import parse_fast
from clockify_actions.resources.invoices.wire import Invoice

body = {"id": "i1", "number": "7", "amountDue": {"amount": 1250.0, "currency": "EUR"}}
invoice = parse_fast(Invoice._wire, body)
print(json.dumps([invoice.number, invoice.amount.amount, "pydantic" in sys.modules]))
print(Invoice._wire.model().model_validate(body).amount.currency)
"""


def test_a_new_resources_models_need_no_edit_outside_its_folder(tmp_path: Path) -> None:
    copy = tmp_path / "pack"
    shutil.copytree(ROOT, copy, ignore=NOT_SOURCE)
    before = _digests(copy)
    db = tmp_path / "sandbox.sqlite3"
    folder = copy / "src" / "clockify_actions" / "resources" / "invoices"
    folder.mkdir()
    (folder / "__init__.py").write_text('"""Invoices."""\n', encoding="utf-8")
    (folder / "models.py").write_text(INVOICE_MODELS, encoding="utf-8")

    stale = _python(copy, "scripts/generate.py", "--check", sandbox_db=db)
    assert stale.returncode == 1
    assert "src/clockify_actions/resources/invoices/wire.py is stale" in stale.stderr
    assert "schemas/clockify-wire.json is stale" in stale.stderr
    assert _python(copy, "scripts/generate.py", sandbox_db=db).returncode == 0
    assert _python(copy, "scripts/generate.py", "--check", sandbox_db=db).returncode == 0

    after = _digests(copy)
    changed = {path for path in after if before.get(path) != after[path]}
    invoices = "src/clockify_actions/resources/invoices"
    assert changed == {
        f"{invoices}/__init__.py",
        f"{invoices}/models.py",
        f"{invoices}/wire.py",
        "schemas/clockify-wire.json",
    }
    assert "Invoice" in json.loads((copy / "schemas" / "clockify-wire.json").read_text())["$defs"]
    read = _python(copy, "-c", READ_INVOICE, sandbox_db=db)
    assert read.returncode == 0, read.stderr
    assert read.stdout.splitlines() == ['["7", 1250.0, false]', "EUR"]

    # Its models gone, its twins are stale, and the generate command removes them.
    (folder / "models.py").unlink()
    stale = _python(copy, "scripts/generate.py", "--check", sandbox_db=db)
    assert "src/clockify_actions/resources/invoices/wire.py is stale" in stale.stderr
    assert _python(copy, "scripts/generate.py", sandbox_db=db).returncode == 0
    assert not (folder / "wire.py").exists()
