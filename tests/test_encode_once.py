"""An envelope is encoded once on its way out: the text the redactor's quick look judged
clean is the text written, and the worker keeps one redactor per API key. Nothing is
redacted less: a value changed since it was judged is encoded and judged again."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from clockify_actions import Pack
from clockify_actions.adapters import worker
from clockify_actions.runtime import redact
from clockify_actions.runtime.redact import Redactor
from conftest import API_KEY, FAST
from fake_clockify import WS, FakeClockify

KEY = "k3Y-0123456789abcdefXYZ"


class CountingEncoder:
    """Counts the encodings of the whole text the pack writes."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls = 0

    def __call__(self, value: Any, level: int) -> Any:
        self.calls += 1
        return self.inner(value, level)


@pytest.fixture
def encodings(monkeypatch: pytest.MonkeyPatch) -> CountingEncoder:
    counting = CountingEncoder(redact._C_ENCODE_TEXT)
    monkeypatch.setattr(redact, "_C_ENCODE_TEXT", counting)
    return counting


def test_a_judged_envelope_is_written_without_encoding_it_again(
    encodings: CountingEncoder,
) -> None:
    redactor = Redactor([KEY])
    envelope = {"status": "success", "items": [{"name": "Zoë", "n": 1.5}] * 50}
    assert redactor.data(envelope) is envelope
    text = redactor.dumps(envelope)
    assert json.loads(text) == envelope
    assert text == json.dumps(envelope, ensure_ascii=False)
    assert encodings.calls == 1


def test_a_key_dropped_after_judging_is_not_written(encodings: CountingEncoder) -> None:
    redactor = Redactor([KEY])
    result = {"status": "success", "events": [], "state": {"cursor": "x"}}
    redactor.data(result)
    result.pop("state")
    assert json.loads(redactor.dumps(result)) == {"status": "success", "events": []}


def test_a_secret_put_in_after_judging_is_still_redacted() -> None:
    redactor = Redactor([KEY])
    result: dict[str, Any] = {"status": "error", "error": None}
    redactor.data(result)
    result["error"] = {"message": f"bad key {KEY}"}
    written = redactor.dumps(result)
    assert KEY not in written and "[redacted]" in written


def test_a_redactor_that_knows_more_secrets_judges_again() -> None:
    Redactor(["other-secret-1234"]).data(envelope := {"message": f"key {KEY}"})
    assert KEY not in Redactor([KEY]).dumps(envelope)


def test_the_worker_encodes_each_answer_once_and_builds_one_redactor_per_key(
    pack: Pack, clockify: FakeClockify, monkeypatch: pytest.MonkeyPatch, encodings: CountingEncoder
) -> None:
    built: list[object] = []

    class Counted(Redactor):
        def __init__(self, *args: Any) -> None:
            built.append(self)
            super().__init__(*args)

    monkeypatch.setattr(worker, "Redactor", Counted)
    lines = b"".join(
        json.dumps({"id": i, "action": "list_workspaces"}).encode() + b"\n" for i in range(5)
    )
    for _ in range(5):
        clockify.answer("GET", "/workspaces", body=[{"id": WS, "name": "A"}])
    out = io.StringIO()
    defaults = {"transport": clockify.transport, "api_key": API_KEY, "settings": FAST}
    assert worker.serve(pack, io.BytesIO(lines), out, defaults) == 0
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [answer["id"] for answer in answers] == list(range(5))
    assert all(answer["envelope"]["status"] == "success" for answer in answers)
    assert len(built) == 1
    assert encodings.calls == 5 + 5  # each envelope once, each id once


def test_a_thread_never_writes_the_text_another_thread_judged() -> None:
    """Celery runs actions in threads: the text kept for the envelope one thread judged is
    that thread's alone."""
    import threading

    redactor = Redactor([KEY])
    shared: dict[str, Any] = {"status": "success", "inner": {"who": "first"}}
    redactor.data(shared)
    written: list[str] = []
    other = threading.Thread(target=lambda: written.append(redactor.dumps(shared)))
    shared["inner"]["who"] = "second"  # below the top: only a fresh encoding sees it
    other.start()
    other.join()
    assert json.loads(written[0])["inner"]["who"] == "second"


def test_a_very_long_text_is_not_held_on_to(monkeypatch: pytest.MonkeyPatch) -> None:
    """The text kept for writing is bounded: a longer envelope is simply encoded again,
    and nothing of it stays in memory after the look."""
    monkeypatch.setattr(redact, "KEPT_TEXT", 100)
    redactor = Redactor([KEY])
    long = {"status": "success", "items": ["x" * 50] * 10}
    redactor.data(long)
    assert redact._JUDGED.judged is None
    assert json.loads(redactor.dumps(long)) == long
    short = {"status": "success"}
    redactor.data(short)
    assert redact._JUDGED.judged is not None
