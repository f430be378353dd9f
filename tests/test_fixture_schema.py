"""The fixture file format is a schema in schemas/ beside the pack's others: it agrees with
the names the fixture engine uses, and it is what refuses a malformed fixture."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from clockify_actions.contract import HAND_WRITTEN, LIVE, SANDBOX
from clockify_actions.errors import ErrorType
from clockify_actions.runtime import read_pack

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = yaml.safe_load((ROOT / "schemas" / "fixture.schema.yaml").read_text(encoding="utf-8"))


def test_the_schema_accepts_every_error_type_and_no_other() -> None:
    error = SCHEMA["$defs"]["ExpectedError"]
    assert error["properties"]["type"]["enum"] == [kind.value for kind in ErrorType]


@pytest.mark.parametrize(
    ("recorded", "valid"),
    [
        (SANDBOX, True),
        (LIVE, True),
        (f"{HAND_WRITTEN} §5", True),
        (HAND_WRITTEN, False),
        ("by hand", False),
    ],
)
def test_the_schema_knows_where_a_cassette_can_come_from(recorded: str, valid: bool) -> None:
    errors = list(Draft202012Validator(SCHEMA["$defs"]["Recorded"]).iter_errors(recorded))
    assert (not errors) is valid


def test_a_change_to_the_schema_makes_the_bundle_stale(pack_copy: Path) -> None:
    before = read_pack(pack_copy)["digest"]
    schema = pack_copy / "schemas" / "fixture.schema.yaml"
    schema.write_text(schema.read_text(encoding="utf-8") + "# changed\n", encoding="utf-8")
    assert read_pack(pack_copy)["digest"] != before
