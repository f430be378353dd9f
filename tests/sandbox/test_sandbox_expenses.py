"""The sandbox's expenses and expense categories behave as Clockify's recorded answers say
(docs/clockify-api.md §29): multipart writes, the money scales, changeFields, the list's
envelope, receipts, and the archive-first delete of categories."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from clockify_actions.clockify import Form, FormFile
from clockify_actions.resources.expenses.sandbox import (
    ARCHIVED_CATEGORY_ID,
    MILEAGE_CATEGORY_ID,
    TRAIN_EXPENSE_ID,
    TRAVEL_CATEGORY_ID,
)
from clockify_actions.sandbox import DEMO_API_KEY, DEMO_USER_ID, DEMO_WORKSPACE_ID, Sandbox

_WS = f"https://api.clockify.me/api/v1/workspaces/{DEMO_WORKSPACE_ID}"
_PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(60))


@pytest.fixture
def api(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(transport=sandbox.transport(), headers={"X-Api-Key": DEMO_API_KEY}) as c:
        yield c


def _send(api: httpx.Client, method: str, url: str, form: Form) -> httpx.Response:
    return api.send(form.request(method, httpx.URL(url), api.headers))


def _create(api: httpx.Client, **fields: str) -> httpx.Response:
    base = {"userId": DEMO_USER_ID, "categoryId": TRAVEL_CATEGORY_ID, "amount": "12.5"}
    base["date"] = "2026-02-02T00:00:00Z"
    files = []
    if "file" in fields:
        files = [("file", FormFile(fields.pop("file"), "image/png", _PNG))]
    return _send(api, "POST", f"{_WS}/expenses", Form({**base, **fields}.items(), files))


def test_create_takes_major_units_and_answers_cents(api: httpx.Client) -> None:
    made = _create(api)
    assert made.status_code == 201
    body: dict[str, Any] = made.json()
    assert (body["total"], body["quantity"], body["fileId"], body["locked"]) == (
        1250.0,
        1250.0,
        "",
        False,
    )
    assert set(body) == {
        "id", "workspaceId", "userId", "date", "projectId", "taskId", "categoryId", "notes",
        "quantity", "billable", "fileId", "total", "locked",
    }  # fmt: skip


def test_a_unit_price_category_multiplies_the_units(api: httpx.Client) -> None:
    body = _create(api, categoryId=MILEAGE_CATEGORY_ID, amount="30").json()
    assert (body["quantity"], body["total"]) == (30.0, 1500.0)


def test_create_refuses_json_and_a_missing_user(api: httpx.Client) -> None:
    as_json = api.post(f"{_WS}/expenses", json={"userId": DEMO_USER_ID})
    assert as_json.status_code == 415
    no_user = _send(api, "POST", f"{_WS}/expenses", Form([("amount", "1")]))
    assert (no_user.status_code, no_user.json()) == (
        400,
        {"message": "User ID is required", "code": 501},
    )
    a_day = _create(api, date="2026-02-02")
    assert a_day.status_code == 400


def test_update_applies_only_the_fields_named_in_change_fields(api: httpx.Client) -> None:
    form = Form(
        [
            ("userId", DEMO_USER_ID),
            ("date", "2030-01-01T00:00:00Z"),
            ("categoryId", TRAVEL_CATEGORY_ID),
            ("amount", "99"),
            ("notes", "changed"),
            ("changeFields", "NOTES"),
        ]
    )
    body = _send(api, "PUT", f"{_WS}/expenses/{TRAIN_EXPENSE_ID}", form).json()
    assert (body["notes"], body["date"], body["total"]) == (
        "changed",
        "2026-01-12T00:00:00Z",
        4250.0,
    )


def test_the_list_is_double_nested_with_expanded_rows(api: httpx.Client) -> None:
    answer = api.get(f"{_WS}/expenses", params={"page-size": 1})
    body = answer.json()
    assert answer.headers["last-page"] == "false"
    assert body["expenses"]["count"] == 2
    (row,) = body["expenses"]["expenses"]
    assert "categoryId" not in row and row["category"]["id"] == MILEAGE_CATEGORY_ID
    assert {"date", "total", "dateAsInstant"} == set(body["dailyTotals"][0])
    # start and end are ignored, as live.
    same = api.get(f"{_WS}/expenses", params={"start": "2030-01-01T00:00:00Z"}).json()
    assert same["expenses"]["count"] == 2


def test_a_receipt_is_kept_and_served_and_deleted_with_its_expense(api: httpx.Client) -> None:
    made = _create(api, file="ticket.png").json()
    url = f"{_WS}/expenses/{made['id']}/files/{made['fileId']}"
    served = api.get(url)
    assert (served.status_code, served.content, served.headers["content-type"]) == (
        200,
        _PNG,
        "image/png",
    )
    row = api.get(f"{_WS}/expenses").json()["expenses"]["expenses"][0]
    assert row["fileName"] == "ticket.png"
    unknown = api.get(f"{_WS}/expenses/{made['id']}/files/64b7c0de5eed00000000ffff")
    assert unknown.status_code == 403
    assert unknown.json() == {"message": "You don't have permission to perform this action."}
    deleted = api.delete(f"{_WS}/expenses/{made['id']}")
    assert (deleted.status_code, deleted.content) == (200, b"")
    assert api.get(url).status_code == 400


def test_categories_default_to_active_and_delete_only_when_archived(api: httpx.Client) -> None:
    listed = api.get(f"{_WS}/expenses/categories").json()
    assert listed["count"] == 2
    assert ARCHIVED_CATEGORY_ID not in [c["id"] for c in listed["categories"]]
    made = api.post(f"{_WS}/expenses/categories", json={"name": "Meals"})
    assert made.status_code == 201
    category = made.json()
    assert (category["hasUnitPrice"], category["priceInCents"], category["unit"]) == (False, 0, "")
    url = f"{_WS}/expenses/categories/{category['id']}"
    assert api.delete(url).status_code == 400
    archived = api.patch(f"{url}/status", json={"archived": True})
    assert archived.json()["archived"] is True
    assert api.delete(url).status_code == 204
