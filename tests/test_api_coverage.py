"""scripts/api_coverage.py: the operations of Clockify's API the pack reaches, counted from
the manifests' `clockify:` lines, which must each name a real operation."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "api_coverage.py"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("api_coverage", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["api_coverage"] = module
    spec.loader.exec_module(module)
    return module


def test_every_clockify_line_of_every_manifest_names_an_operation_of_the_spec() -> None:
    found = _module().coverage(ROOT)
    assert found.unknown == {}
    assert len(found.operations) == 158
    assert len({operation.key for operation in found.operations}) == 158


def test_a_line_naming_no_operation_is_reported(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "actions", tmp_path / "actions")
    for name in ("triggers", "docs", "manifest.yaml"):
        (tmp_path / name).symlink_to(ROOT / name)
    action = tmp_path / "actions" / "list_tags" / "action.yaml"
    text = action.read_text(encoding="utf-8")
    action.write_text(text.replace('/tags"', '/tagz"', 1), encoding="utf-8")
    found = _module().coverage(tmp_path)
    assert found.unknown == {("GET", "/workspaces/{}/tagz", "api"): ["list_tags"]}


def test_lines_are_read_with_their_query_and_host() -> None:
    module = _module()
    assert module.route_key("GET /workspaces/{workspaceId}/entities/created?type=TAGS") == (
        "GET",
        "/workspaces/{}/entities/created",
        "api",
    )
    assert module.route_key("POST /workspaces/{ws}/reports/summary (reports host)") == (
        "POST",
        "/workspaces/{}/reports/summary",
        "reports",
    )


def test_the_script_counts_what_it_lists() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=60, check=True
    )
    report = json.loads(result.stdout)
    assert report["unknown"] == []
    assert report["reached"] + len(report["missing"]) == report["operations"] == 158
    assert "GET /workspaces/{workspaceId}/projects (getProjects)" not in report["missing"]


def test_operations_are_read_from_the_spec_with_their_host(tmp_path: Path) -> None:
    spec = {
        "servers": [{"url": "https://api.clockify.me/api"}],
        "paths": {
            "/v1/workspaces/{workspaceId}/tags": {
                "get": {"operationId": "getTags", "tags": ["Tag"]},
                "post": {"operationId": "createNewTag", "tags": ["Tag"]},
            },
            "/v1/workspaces/{workspaceId}/reports/weekly": {
                "servers": [{"url": "https://reports.api.clockify.me"}],
                "post": {"operationId": "generateWeeklyReport", "tags": ["Reports"]},
            },
        },
    }
    operations = _module().from_spec(spec)
    assert [(o.method, o.path, o.host, o.operation_id) for o in operations] == [
        ("GET", "/workspaces/{workspaceId}/tags", "api", "getTags"),
        ("POST", "/workspaces/{workspaceId}/tags", "api", "createNewTag"),
        ("POST", "/workspaces/{workspaceId}/reports/weekly", "reports", "generateWeeklyReport"),
    ]
