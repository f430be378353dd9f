"""A Prefect module, `clockify_tasks.py`: one task per action, typed like the action's
parameters (required ones first), that runs it in-process through `load_pack().run`.

A failure the pack calls `retryable` raises `RetryableActionError`, which Prefect retries
(`RETRIES` times, `RETRY_DELAY_SECONDS` apart); any other raises `ActionFailed`, and the
task fails at once. The pack says a failed write is retryable only when it knows the
write was not applied, so Prefect never sends a write twice. The pack's own retries are
turned off (`retries="none"`), so that only Prefect's count.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clockify_actions.adapters.export._shared import (
    GENERATED,
    Source,
    parameters,
    python_string,
    signature,
)

MODULE = "clockify_tasks.py"

HEADER = f'''"""Prefect tasks for the Clockify actions. {GENERATED}

Each task runs its action with `CONNECTION` (keyword arguments of `Pack.run`: api_key,
region, base_url, workspace_id...; left empty, the CLOCKIFY_* environment variables
apply). A retryable failure raises RetryableActionError, which Prefect retries; any
other raises ActionFailed, and the task fails at once.
"""

from typing import Any

from prefect import task

from clockify_actions import ActionFailed, load_pack

PACK = load_pack()
CONNECTION: dict[str, Any] = {{}}
RETRIES = 3
RETRY_DELAY_SECONDS = 10
# Prefect does the retrying: the pack's own retries are off, one attempt per try.
OWN_RETRIES_OFF = {{"retries": "none"}}


class RetryableActionError(ActionFailed):
    """The action failed in a way that may pass on a later try (the pack said retryable)."""


def retry_only_retryable(task: Any, task_run: Any, state: Any) -> bool:
    try:
        state.result()
    except RetryableActionError:
        return True
    except Exception:
        return False
    return False


def run_action(name: str, given: dict[str, Any]) -> dict[str, Any]:
    """The action's envelope on success; else raises. Arguments left None are left out,
    so that the pack's own defaults apply."""
    params = {{key: value for key, value in given.items() if value is not None}}
    envelope = PACK.run(name, params, **OWN_RETRIES_OFF, **CONNECTION)
    if envelope["status"] == "success":
        return envelope
    raise (RetryableActionError if envelope["error"]["retryable"] else ActionFailed)(envelope)


def clockify_task(name: str) -> Any:
    return task(
        name=name,
        retries=RETRIES,
        retry_delay_seconds=RETRY_DELAY_SECONDS,
        retry_condition_fn=retry_only_retryable,
    )
'''

TASK = '''

@clockify_task({name})
def {function}({signature}) -> dict[str, Any]:
    """{title}"""
    return run_action({name}, {given})
'''


def task(described: Mapping[str, Any]) -> str:
    names = [p.name for p in parameters(described)]
    return TASK.format(
        name=python_string(described["name"]),
        function=described["name"],
        signature=signature(described),
        title=described["title"].replace('"""', "'''"),
        given="{" + ", ".join(f"{python_string(n)}: {n}" for n in names) + "}",
    )


def files(src: Source) -> dict[str, str]:
    return {MODULE: HEADER + "".join(task(described) for described in src.actions)}
