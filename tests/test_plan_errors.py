"""A paid module's action refused for want of the module says what the module needs, and
an action that names a module the manifest does not know breaks the pack when it loads."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from clockify_actions import load_pack
from clockify_actions.runtime import PackError
from clockify_actions.sandbox import DEMO_API_KEY, DEMO_WORKSPACE_ID, Sandbox


def _needs(root: Path, feature: str) -> str:
    needs: str = yaml.safe_load((root / "manifest.yaml").read_text("utf-8"))["features"][feature]
    return needs


def _name_feature(root: Path, action: str, feature: str) -> None:
    path = root / "actions" / action / "action.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\ntoolset:", f"\nfeature: {feature}\ntoolset:", 1), "utf-8")


@pytest.mark.parametrize(("status", "body"), [(402, "empty"), (403, "clockify")])
def test_a_refusal_of_a_paid_modules_action_says_what_the_module_needs(
    pack_copy: Path, tmp_path: Path, status: int, body: str
) -> None:
    _name_feature(pack_copy, "list_projects", "TASK_RATES")
    pack = load_pack(pack_copy)
    assert pack.actions["list_projects"].feature == {
        "name": "TASK_RATES",
        "needs": _needs(pack_copy, "TASK_RATES"),
    }
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as sandbox:
        sandbox.add_fault(action="status", when="before", status=status, body=body)  # type: ignore[arg-type]
        result = pack.run(
            "list_projects",
            {"workspace_id": DEMO_WORKSPACE_ID},
            transport=sandbox.transport(),
            api_key=DEMO_API_KEY,
        )
    error = result["error"]
    assert (error["type"], error["http_status"]) == ("permission_error", status)
    assert error["message"].endswith(_needs(pack_copy, "TASK_RATES"))


def test_the_same_refusal_of_an_action_of_no_paid_module_says_nothing_more(
    tmp_path: Path,
) -> None:
    loaded = load_pack()
    assert loaded.actions["list_projects"].feature is None
    with Sandbox.open(tmp_path / "sandbox.sqlite3") as sandbox:
        sandbox.add_fault(action="status", when="before", status=402, body="empty")
        result = loaded.run(
            "list_projects",
            {"workspace_id": DEMO_WORKSPACE_ID},
            transport=sandbox.transport(),
            api_key=DEMO_API_KEY,
        )
    assert result["error"]["message"] == (
        "Payment required: the workspace's Clockify plan does not include this."
    )


def test_naming_a_module_the_manifest_lacks_breaks_the_pack(pack_copy: Path) -> None:
    _name_feature(pack_copy, "list_projects", "GOLD_PLAN")
    with pytest.raises(PackError, match="GOLD_PLAN"):
        load_pack(pack_copy)
