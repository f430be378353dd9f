"""Clockify's expenses and expense categories as the pack reads them (docs/clockify-api.md §29).
Money: an expense's `total` is in cents (minor
units, a float), a category's `priceInCents` in cents (an integer)."""

from __future__ import annotations

from pydantic import Field

from clockify_actions.clockify.models import Wire


class ExpenseCategory(Wire):
    """A category: `{id, name, hasUnitPrice, priceInCents, unit, workspaceId, archived}`."""

    id: str
    name: str
    workspace_id: str | None = Field(default=None, alias="workspaceId")
    has_unit_price: bool = Field(default=False, alias="hasUnitPrice")
    price_in_cents: int | None = Field(default=None, alias="priceInCents")
    unit: str | None = None
    archived: bool = False


class ExpenseCategoryPage(Wire):
    """One page of `GET /expenses/categories`: `{count, categories}`."""

    count: int | None = None
    categories: list[ExpenseCategory]


class ExpenseProject(Wire):
    """A list row's project: `{id, name, clientId, clientName, color}`."""

    id: str
    name: str | None = None


class ExpenseTask(Wire):
    """A list row's task, `{id, name}` in the spec (never seen live: always null)."""

    id: str
    name: str | None = None


class Expense(Wire):
    """One expense, flat as `GET /expenses/{id}`, create and update answer it (13 keys:
    `categoryId`, `projectId`, `taskId`, `fileId` `""` without a receipt), or expanded as a
    list row (`category`, `project`, `task` objects, `fileName`, no flat ids)."""

    id: str
    workspace_id: str | None = Field(default=None, alias="workspaceId")
    user_id: str | None = Field(default=None, alias="userId")
    date: str | None = None
    category_id: str | None = Field(default=None, alias="categoryId")
    project_id: str | None = Field(default=None, alias="projectId")
    task_id: str | None = Field(default=None, alias="taskId")
    category: ExpenseCategory | None = None
    project: ExpenseProject | None = None
    task: ExpenseTask | None = None
    notes: str | None = None
    quantity: float | None = None
    total: float | None = None
    billable: bool | None = None
    locked: bool | None = None
    file_id: str | None = Field(default=None, alias="fileId")
    file_name: str | None = Field(default=None, alias="fileName")


class ExpenseList(Wire):
    """`{expenses, count}`, the inner object of the list's envelope."""

    expenses: list[Expense]
    count: int | None = None


class ExpensePage(Wire):
    """One page of `GET /expenses`: `{expenses: {expenses, count}, dailyTotals, weeklyTotals}`."""

    expenses: ExpenseList


class ExpenseReportItem(Wire):
    """One expense of the expense report (`ExpenseReportDtoV1`: [SPEC]'s keys, no live body
    recorded); `amount` in cents (LIKELY, as `total`)."""

    id: str
    user_id: str | None = Field(default=None, alias="userId")
    user_name: str | None = Field(default=None, alias="userName")
    date: str | None = None
    category_id: str | None = Field(default=None, alias="categoryId")
    category_name: str | None = Field(default=None, alias="categoryName")
    project_id: str | None = Field(default=None, alias="projectId")
    project_name: str | None = Field(default=None, alias="projectName")
    notes: str | None = None
    quantity: float | None = None
    amount: float | None = None
    billable: bool | None = None
    file_id: str | None = Field(default=None, alias="fileId")
    file_name: str | None = Field(default=None, alias="fileName")


class ExpenseReportTotals(Wire):
    expenses_count: int | None = Field(default=None, alias="expensesCount")
    total_amount: float | None = Field(default=None, alias="totalAmount")
    total_amount_billable: float | None = Field(default=None, alias="totalAmountBillable")


class ExpenseReport(Wire):
    """One page of the expense report: `{expenses, totals}`."""

    expenses: list[ExpenseReportItem] = Field(default_factory=list)
    totals: ExpenseReportTotals | None = None
