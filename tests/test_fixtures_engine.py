"""The fixture engine: replay really intercepts the pack's HTTP, and every way a fixture can
break is reported, by the test and by `clockify-actions fixtures verify` alike."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from clockify_actions import Pack, load_pack
from clockify_actions.adapters.cli import main
from clockify_actions.contract import (
    ReplayTransport,
    UnrecordedRequest,
    check,
    credentials_in,
    use_cassette,
    verify,
)

ROOT = Path(__file__).resolve().parents[1]
API = "https://api.clockify.me/api/v1"
WS = "5b641568b07987035750505e"
KEY_HEADERS = {"x-api-key": ["[redacted]"], "accept": ["application/json"]}
CANARY_OUTPUT = {
    "status": "success",
    "count": 1,
    "workspaces": [{"id": "canary", "name": "Only in the cassette"}],
}


def _interaction(
    method: str, path: str, answer: Any, request_json: Any = None, status: int = 200
) -> dict[str, Any]:
    request: dict[str, Any] = {"method": method, "uri": API + path, "headers": dict(KEY_HEADERS)}
    if request_json is not None:
        request["headers"]["content-type"] = ["application/json"]
        request["json"] = request_json
    return {
        "request": request,
        "response": {
            "status": {"code": status, "message": "OK"},
            "headers": {"content-type": ["application/json"]},
            "json": answer,
        },
    }


def _fixture(
    folder: Path,
    action: str,
    document: dict[str, Any],
    interactions: list[dict[str, Any]] | None = None,
) -> Path:
    """A fixture named `case` for `action`, laid out as in the pack, with its cassette."""
    path = folder / action / "fixtures" / "case.yaml"
    (path.parent / "cassettes").mkdir(parents=True, exist_ok=True)
    exchanges = [
        f"{i['request']['method']} {i['response']['status']['code']}" for i in interactions or []
    ]
    fixture = {"description": "a test case", "exchanges": exchanges or ["GET 200"], **document}
    path.write_text(yaml.safe_dump(fixture))
    if interactions is not None:
        cassette = {"version": 1, "interactions": interactions}
        (path.parent / "cassettes" / "case.yaml").write_text(yaml.safe_dump(cassette))
    return path


CANARY = [_interaction("GET", "/workspaces", [{"id": "canary", "name": "Only in the cassette"}])]
LIST_WORKSPACES = {"input": {}, "expect": {"output": CANARY_OUTPUT}}


# --- the canary: replay intercepts the client's streamed requests, and nothing else goes out ---


def test_replay_answers_the_packs_streamed_request_from_the_cassette(
    pack: Pack, tmp_path: Path, network_attempts: list[object]
) -> None:
    result = check(pack, _fixture(tmp_path, "list_workspaces", LIST_WORKSPACES, CANARY))
    assert result.passed, result.problems
    assert result.envelope == CANARY_OUTPUT
    assert network_attempts == []


def test_a_request_to_another_host_fails_instead_of_reaching_the_network(
    pack: Pack, tmp_path: Path, network_attempts: list[object]
) -> None:
    document = {**LIST_WORKSPACES, "connection": {"region": "euc1"}}
    result = check(pack, _fixture(tmp_path, "list_workspaces", document, CANARY))
    assert not result.passed
    assert "a request was not in the cassette" in result.problems[0]
    assert "euc1.clockify.me" in result.problems[0]
    assert any("not used: GET https://api.clockify.me" in p for p in result.problems)
    assert network_attempts == []


def test_a_request_with_another_body_is_not_in_the_cassette(
    pack: Pack, tmp_path: Path, network_attempts: list[object]
) -> None:
    recorded = _interaction(
        "POST",
        f"/workspaces/{WS}/projects",
        {"id": "p1", "name": "Recorded", "archived": False},
        request_json={"name": "Recorded"},
        status=201,
    )
    document = {
        "input": {"workspace_id": WS, "name": "Sent"},
        "expect": {"error": {"type": "conflict"}},
    }
    result = check(pack, _fixture(tmp_path, "create_project", document, [recorded]))
    assert "a request was not in the cassette" in result.problems[0]
    assert network_attempts == []


def test_a_request_not_in_the_cassette_is_reported_as_the_request_sent(
    pack: Pack, tmp_path: Path
) -> None:
    document = {**LIST_WORKSPACES, "connection": {"region": "euc1"}}
    result = check(pack, _fixture(tmp_path, "list_workspaces", document, CANARY))
    assert result.problems[0].startswith(
        "a request was not in the cassette: GET https://euc1.clockify.me/api/v1/workspaces: "
    )


def test_the_replay_transport_signals_a_request_the_cassette_lacks(
    tmp_path: Path, network_attempts: list[object]
) -> None:
    cassette = tmp_path / "cassette.yaml"
    cassette.write_text(yaml.safe_dump({"version": 1, "interactions": CANARY}))
    transport = ReplayTransport()
    with use_cassette(cassette, "none"), httpx.Client(transport=transport) as client:
        with pytest.raises(UnrecordedRequest) as raised:
            client.get(f"{API}/user")
        answered = client.get(
            f"{API}/workspaces", headers={"x-api-key": "[redacted]", "accept": "application/json"}
        )
    assert answered.json() == CANARY[0]["response"]["json"]
    assert (raised.value.request.method, str(raised.value.request.url)) == ("GET", f"{API}/user")
    assert transport.unrecorded == [raised.value]
    assert network_attempts == []


def test_a_recorded_interaction_left_unused_fails(pack: Pack, tmp_path: Path) -> None:
    twice = [*CANARY, *CANARY]
    result = check(pack, _fixture(tmp_path, "list_workspaces", LIST_WORKSPACES, twice))
    assert result.problems == [f"recorded interactions not used: GET {API}/workspaces"]


# --- what a fixture promises is checked ---


def test_an_output_other_than_expected_fails_with_a_diff(pack: Pack, tmp_path: Path) -> None:
    answer = [{"id": "canary", "name": "Renamed"}]
    interactions = [_interaction("GET", "/workspaces", answer)]
    result = check(pack, _fixture(tmp_path, "list_workspaces", LIST_WORKSPACES, interactions))
    assert len(result.problems) == 1
    assert '-      "name": "Only in the cassette"' in result.problems[0]
    assert '+      "name": "Renamed"' in result.problems[0]


def test_each_expected_part_of_an_error_is_checked(pack: Pack, tmp_path: Path) -> None:
    denied = _interaction("GET", "/workspaces", {"message": "Access Denied"}, status=403)
    document = {
        "input": {},
        "expect": {
            "error": {
                "type": "permission_error",
                "http_status": 401,
                "message_contains": ["Access Denied", "Forbidden"],
            }
        },
    }
    result = check(pack, _fixture(tmp_path, "list_workspaces", document, [denied]))
    assert result.problems == [
        "error.message does not contain 'Forbidden': 'Access Denied.'",
        "error.http_status: expected 401, got 403",
    ]


def test_an_expected_output_that_breaks_the_response_schema_is_refused(
    pack: Pack, tmp_path: Path
) -> None:
    document = {"input": {}, "expect": {"output": {"status": "success", "count": -1}}}
    result = check(pack, _fixture(tmp_path, "list_workspaces", document, CANARY))
    assert "breaks list_workspaces's response schema" in result.problems[0]


def test_a_fixture_without_a_cassette_fails(pack: Pack, tmp_path: Path) -> None:
    result = check(pack, _fixture(tmp_path, "list_workspaces", LIST_WORKSPACES))
    assert result.problems[0].startswith("no cassette at ")


def test_an_action_that_reads_the_clock_needs_now(pack: Pack, tmp_path: Path) -> None:
    document = {"input": {"workspace_id": WS}, "expect": {"error": {"type": "not_found"}}}
    result = check(pack, _fixture(tmp_path, "start_timer", document, []))
    assert result.envelope is not None
    assert "the fixture sets no `now`" in result.envelope["error"]["message"]
    assert not result.passed


def test_a_malformed_fixture_is_reported_not_raised(pack: Pack, tmp_path: Path) -> None:
    document = {"input": {}, "expect": {"output": {}, "error": {"type": "auth_error"}}}
    result = check(pack, _fixture(tmp_path, "list_workspaces", document, CANARY))
    assert result.case == "list_workspaces/case"
    assert "is not a valid fixture" in result.problems[0]


# --- recording keeps credentials out ---


def test_recording_replaces_credentials_before_anything_is_written(tmp_path: Path) -> None:
    key = "N2Q5ZjNlMmItYzRhZS00ZGE2LWI4ZjEtMmE3YzlkMGUxZjNi"

    def clockify(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json={"id": "u1", "apiKey": "k", "echo": f"key={request.headers['x-api-key']}"},
            headers={"Set-Cookie": "AWSALB=abc123; Path=/"},
        )

    cassette = tmp_path / "recorded.yaml"
    with (
        use_cassette(cassette, "all", secrets=[key]),
        httpx.Client(transport=httpx.MockTransport(clockify)) as client,
    ):
        client.get(f"{API}/user", headers={"X-Api-Key": key, "Cookie": "session=1"})
    text = cassette.read_text()
    assert key not in text and "AWSALB" not in text and "session=1" not in text
    stored = yaml.safe_load(text)["interactions"][0]
    assert stored["request"]["headers"]["x-api-key"] == ["[redacted]"]
    assert stored["response"]["json"] == {
        "id": "u1",
        "apiKey": "[redacted]",
        "echo": "key=[redacted]",
    }
    assert credentials_in(text, [key]) == []


def test_the_credential_scan_finds_every_kind_of_leak() -> None:
    leaked = {
        "version": 1,
        "interactions": [
            {
                "request": {
                    "method": "GET",
                    "uri": f"{API}/user?key=sandbox-demo-api-key",
                    "headers": {"x-api-key": ["a-real-key"]},
                },
                "response": {
                    "status": {"code": 200, "message": "OK"},
                    "headers": {"set-cookie": ["AWSALB=1"]},
                    "json": {
                        "token": "t",
                        "note": "N2Q5ZjNlMmItYzRhZS00ZGE2LWI4ZjEtMmE3YzlkMGUxZjNi",
                    },
                },
            }
        ],
    }
    findings = credentials_in(yaml.safe_dump(leaked, sort_keys=False), ["sandbox-demo-api-key"])
    where = [finding.split(":")[0] for finding in findings]
    assert where == [
        "$.interactions[0].request.uri",
        "$.interactions[0].request.headers.x-api-key",
        "$.interactions[0].response.headers.set-cookie",
        "$.interactions[0].response.json.token",
        "$.interactions[0].response.json.note",
    ]


# --- `verify` and its command, on a copy of the pack laid out as the wheel ships it ---


@pytest.mark.slow
def test_verify_passes_on_a_copy_of_the_pack_away_from_the_checkout(pack_copy: Path) -> None:
    summary = verify(load_pack(pack_copy))
    assert summary["status"] == "success" and summary["failed"] == 0
    assert summary["passed"] == summary["fixtures"] > 0


def test_fixtures_verify_prints_each_failure_and_exits_non_zero(
    pack_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = pack_copy / "actions" / "get_current_user" / "fixtures" / "current_user.yaml"
    broken.write_text(broken.read_text().replace("Demo User", "Someone Else"))
    monkeypatch.setattr("clockify_actions.runtime.pack.pack_root", lambda: pack_copy)
    code = main(["fixtures", "verify", "--action", "get_current_user"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 8
    assert summary["error"]["type"] == "contract_error"
    counts, failure = summary["error"]["details"]
    assert counts["failed"] == 1 and counts["passed"] == counts["fixtures"] - 1
    assert failure["case"] == "get_current_user/current_user"
    assert '+  "name": "Demo User"' in failure["reason"]


def test_fixtures_verify_exits_zero_when_all_pass(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["fixtures", "verify", "--action", "stop_timer"])
    summary = json.loads(capsys.readouterr().out)
    assert (code, summary["status"], summary["failed"]) == (0, "success", 0)
    assert summary["fixtures"] >= 4
