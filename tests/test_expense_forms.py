"""Expense writes go out as one multipart form (docs/clockify-api.md §29.3): the same
bytes on every run, a dry run that shows the fields and not the file, and a receipt
refused before anything is sent when Clockify would not take it."""

from __future__ import annotations

import base64

from clockify_actions.clockify import Form, FormFile
from conftest import Run
from fake_clockify import WS, FakeClockify

CATEGORY = "64b7c0de5eed000000001201"
USER = "64b7c0de5eed000000000a01"
_PNG = b"\x89PNG\r\n\x1a\n" + bytes(40)
EXPENSE = {
    "workspace_id": WS,
    "user_id": USER,
    "category_id": CATEGORY,
    "amount": 12.5,
    "date": "2026-02-02",
    "receipt_file_name": "ticket.png",
    "receipt_base64": base64.b64encode(_PNG).decode(),
}


def test_a_form_is_the_same_bytes_each_time_and_its_boundary_is_in_no_part() -> None:
    fields = [("notes", "a"), ("changeFields", "NOTES"), ("changeFields", "DATE")]
    one = Form(fields, [("file", FormFile("r.png", "image/png", _PNG))])
    two = Form(fields, [("file", FormFile("r.png", "image/png", _PNG))])
    assert (one.content, one.content_type) == (two.content, two.content_type)
    boundary = one.content_type.split("boundary=")[1].encode()
    assert one.content.count(boundary) == 5  # four parts and the closing line
    assert b'name="file"; filename="r.png"\r\nContent-Type: image/png\r\n\r\n' + _PNG in one.content
    assert Form([("notes", "b")]).content_type != Form([("notes", "a")]).content_type


def test_a_dry_run_shows_the_form_fields_and_the_receipt_size_not_its_bytes(run: Run) -> None:
    result = run("create_expense", EXPENSE, dry_run=True)
    assert result["status"] == "dry_run", result
    (request,) = result["requests"]
    assert request["form"]["fields"][:4] == [
        ["userId", USER],
        ["categoryId", CATEGORY],
        ["amount", "12.5"],
        ["date", "2026-02-02T00:00:00Z"],
    ]
    assert request["form"]["files"] == {
        "file": {"file_name": "ticket.png", "content_type": "image/png", "bytes": len(_PNG)}
    }


def test_a_receipt_clockify_would_refuse_is_refused_before_sending(
    run: Run, clockify: FakeClockify
) -> None:
    not_base64 = {**EXPENSE, "receipt_base64": "@@@@"}
    text_file = {**EXPENSE, "receipt_file_name": "notes.txt"}
    alone = {k: v for k, v in EXPENSE.items() if k != "receipt_file_name"}
    for given in (not_base64, text_file, alone):
        result = run("create_expense", given)
        assert result["error"]["type"] == "validation_error", result
    assert clockify.sent == []
