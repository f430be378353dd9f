"""An everyday request, as an agent meets it through the MCP server's default toolset:
"log 2 hours yesterday 9-11 Berlin time on Website Redesign / Design, billable; how many
hours did I log last week per project; stop any running timer". With the workspace and
the user by default, local times and find-or-create, it takes five tool calls."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import anyio
from mcp import ClientSession, StdioServerParameters, stdio_client

from clockify_actions import Pack
from clockify_actions.sandbox import DB_ENV_VAR, DEMO_API_KEY, DEMO_WORKSPACE_ID, Sandbox

BERLIN = ZoneInfo("Europe/Berlin")
MOST_CALLS = 5


def _local(day: date, hour: int) -> str:
    return f"{day.isoformat()}T{hour:02d}:00:00"


def _utc(day: date, hour: int) -> str:
    moment = datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_three_sentence_task_takes_five_calls_of_the_default_toolset(
    tmp_path: Path, pack: Pack
) -> None:
    db = tmp_path / "sandbox.sqlite3"
    with Sandbox.open(db) as sandbox:
        running = pack.run(
            "start_timer",
            {"workspace_id": DEMO_WORKSPACE_ID, "description": "Forgotten timer"},
            transport=sandbox.transport(),
            api_key=DEMO_API_KEY,
        )
    assert running["status"] == "success", running

    today = datetime.now(BERLIN).date()
    yesterday = today - timedelta(days=1)
    this_monday = today - timedelta(days=today.weekday())
    last_monday = this_monday - timedelta(days=7)
    calls: list[str] = []

    async def call(session: ClientSession, name: str, arguments: dict[str, Any]) -> Any:
        calls.append(name)
        result = await session.call_tool(name, arguments)
        assert not result.is_error, (name, result.content)
        return result.structured_content

    async def agent(session: ClientSession) -> dict[str, Any]:
        project = await call(session, "find_or_create_project", {"name": "Website Redesign"})
        task = await call(
            session, "find_or_create_task", {"project_id": project["id"], "name": "Design"}
        )
        entry = await call(
            session,
            "create_time_entry",
            {
                "project_id": project["id"],
                "task_id": task["id"],
                "start": _local(yesterday, 9),
                "end": _local(yesterday, 11),
                "time_zone": "Europe/Berlin",
                "billable": True,
            },
        )
        report = await call(
            session,
            "summary_report",
            {
                "start": _local(last_monday, 0),
                "end": _local(this_monday, 0),
                "time_zone": "Europe/Berlin",
                "group_by": ["project"],
            },
        )
        stopped = await call(session, "stop_timer", {})
        return {"project": project, "entry": entry, "report": report, "stopped": stopped}

    async def main() -> dict[str, Any]:
        server = StdioServerParameters(
            command=sys.executable,
            args=["-m", "clockify_actions", "mcp", "--sandbox"],
            env={DB_ENV_VAR: str(db)},
        )
        with anyio.fail_after(120):
            async with (
                stdio_client(server) as (read, write),
                ClientSession(read, write) as session,
            ):
                await session.initialize()
                served = {tool.name for tool in (await session.list_tools()).tools}
                assert {"find_or_create_project", "summary_report", "stop_timer"} <= served
                return await agent(session)

    done = anyio.run(main)
    assert len(calls) <= MOST_CALLS, calls

    entry = done["entry"]
    assert (entry["start"], entry["end"]) == (_utc(yesterday, 9), _utc(yesterday, 11))
    assert entry["workspace_id"] == DEMO_WORKSPACE_ID
    assert entry["billable"] is True and entry["project_id"] == done["project"]["id"]

    hours = {group["name"]: group["hours"] for group in done["report"]["groups"]}
    if last_monday <= yesterday < this_monday:
        assert hours["Website Redesign"] == 2.0, json.dumps(done["report"])
    else:
        assert "Website Redesign" not in hours

    assert done["stopped"]["id"] == running["id"]
    assert done["stopped"]["end"] is not None
