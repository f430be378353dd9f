"""A faithful, persistent local emulator of Clockify's REST API v1.

`Sandbox.open()` gives a seeded state in one SQLite file that any number of threads and
processes can share; `transport()` serves it in-process to httpx, `serve()` over real HTTP.
`emulated_routes()` lists what it serves. Each Clockify resource's emulation lives in its
folder, `clockify_actions.resources.<name>.sandbox`, found when first needed.

The HTTP server's modules (`http.server`, `socketserver`, ...) are imported only when a
server is started or `SandboxServer` is asked for: `--sandbox` uses the transport alone.
"""

from typing import TYPE_CHECKING, Any

from ._resources import EmulatedRoute, emulated_routes
from ._sandbox import DB_ENV_VAR, LoggedRequest, Sandbox, default_db_path
from ._seed import (
    ARCHIVED_CLIENT_ID,
    ARCHIVED_POLICY_ID,
    ARCHIVED_PROJECT_ID,
    ARCHIVED_TAG_ID,
    BUILD_TASK_ID,
    CLIENT_PROJECT_ID,
    COLLEAGUE_API_KEY,
    COLLEAGUE_USER_ID,
    DEMO_ADDON_TOKEN,
    DEMO_API_KEY,
    DEMO_CLIENT_ID,
    DEMO_USER_ID,
    DEMO_WORKSPACE_ID,
    DESIGN_TASK_ID,
    FORCED_PROJECT_WORKSPACE_ID,
    FORCED_WORKSPACE_PROJECT_ID,
    FOREIGN_PROJECT_ID,
    FOREIGN_TAG_ID,
    FOREIGN_WORKSPACE_ID,
    GLOBEX_CLIENT_ID,
    INVITED_USER_ID,
    MEETING_TAG_ID,
    OTHER_API_KEY,
    OTHER_USER_ID,
    OWN_PENDING_TIME_OFF_REQUEST_ID,
    PENDING_TIME_OFF_REQUEST_ID,
    REVIEW_TASK_ID,
    SAMPLE_PROJECT_ID,
    SAMPLE_TIME_ENTRY_ID,
    SECOND_WORKSPACE_ID,
    SECOND_WORKSPACE_PROJECT_ID,
    SICK_LEAVE_POLICY_ID,
    URGENT_TAG_ID,
    VACATION_POLICY_ID,
    WEBSITE_DESIGN_TASK_ID,
)
from ._state_file import StateFileError
from ._store import SandboxConfig
from .faults import ENV_VAR as FAULTS_ENV_VAR
from .faults import Fault

if TYPE_CHECKING:
    from ._server import SandboxServer


def __getattr__(name: str) -> Any:
    if name == "SandboxServer":
        from ._server import SandboxServer

        return SandboxServer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ARCHIVED_CLIENT_ID",
    "ARCHIVED_POLICY_ID",
    "ARCHIVED_PROJECT_ID",
    "ARCHIVED_TAG_ID",
    "BUILD_TASK_ID",
    "CLIENT_PROJECT_ID",
    "COLLEAGUE_API_KEY",
    "COLLEAGUE_USER_ID",
    "DB_ENV_VAR",
    "DEMO_ADDON_TOKEN",
    "DEMO_API_KEY",
    "DEMO_CLIENT_ID",
    "DEMO_USER_ID",
    "DEMO_WORKSPACE_ID",
    "DESIGN_TASK_ID",
    "FAULTS_ENV_VAR",
    "FORCED_PROJECT_WORKSPACE_ID",
    "FORCED_WORKSPACE_PROJECT_ID",
    "FOREIGN_PROJECT_ID",
    "FOREIGN_TAG_ID",
    "FOREIGN_WORKSPACE_ID",
    "GLOBEX_CLIENT_ID",
    "INVITED_USER_ID",
    "MEETING_TAG_ID",
    "OTHER_API_KEY",
    "OTHER_USER_ID",
    "OWN_PENDING_TIME_OFF_REQUEST_ID",
    "PENDING_TIME_OFF_REQUEST_ID",
    "REVIEW_TASK_ID",
    "SAMPLE_PROJECT_ID",
    "SAMPLE_TIME_ENTRY_ID",
    "SECOND_WORKSPACE_ID",
    "SECOND_WORKSPACE_PROJECT_ID",
    "SICK_LEAVE_POLICY_ID",
    "URGENT_TAG_ID",
    "VACATION_POLICY_ID",
    "WEBSITE_DESIGN_TASK_ID",
    "EmulatedRoute",
    "Fault",
    "LoggedRequest",
    "Sandbox",
    "SandboxConfig",
    "SandboxServer",
    "StateFileError",
    "default_db_path",
    "emulated_routes",
]
