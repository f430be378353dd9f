"""Who may write which time entries (Clockify's API facts, part 3, §31.4, §33.1, §33.7).

- The workspace's owner and its admins write any member's entries; a team manager writes
  the entries of the members they manage (Clockify: "if the workspace allows it", a setting
  whose name is unknown; the sandbox allows it); a regular member writes only their own.
  A regular member's write for someone else is answered 403 `{"message":"Access Denied",
  "code":501}`: INFERRED from §31.3 (the live answer to `createForOthers` is unknown, §41).
- Owner: the member the workspace's own document lists first, its creator (the sandbox
  keeps no other owner).
- A workspace that locks entries before a date (`workspaceSettings.lockTimeEntries`)
  refuses a regular member's create, edit or delete of an entry starting before it: 403
  code 1003 "Can't edit locked time entry."; owner and admins are exempt (§33.7).
- A workspace in `STOPWATCH_ONLY` mode refuses an entry with an end: 403 code 4030, for
  everyone on `POST /time-entries`, for regular members only on the per-user route (§33.7).
  The live message is cut short in the facts ("Manual time tracking disabled…"); its end
  is unknown.
"""

from __future__ import annotations

from datetime import datetime

from clockify_actions.sandbox._call import Call
from clockify_actions.sandbox._errors import ApiError
from clockify_actions.sandbox._time import parse_instant

_LOCKED = "Can't edit locked time entry."
_MANUAL_DISABLED = "Manual time tracking disabled"  # the live text goes on; its end is unknown


def _roles(call: Call) -> list[tuple[str, str]]:
    rows = call.db.execute(
        "SELECT role, entity_id FROM member_roles WHERE workspace_id = ? AND user_id = ?",
        (call.params["workspace"], call.user_id),
    )
    return [(role, entity) for role, entity in rows]


def is_admin(call: Call) -> bool:
    """Whether the caller owns the path's workspace or is one of its admins."""
    listed = call.workspace.get("memberships") or []
    if listed and listed[0].get("userId") == call.user_id:
        return True
    return any(role == "WORKSPACE_ADMIN" for role, _ in _roles(call))


def check_writes_for(call: Call, user_id: str) -> None:
    """Refuses a write of `user_id`'s entries that the caller may not make."""
    if user_id == call.user_id or is_admin(call):
        return
    if any(role == "TEAM_MANAGER" and entity == user_id for role, entity in _roles(call)):
        return
    raise ApiError(403, "Access Denied", 501)


def check_unlocked(call: Call, *starts: str | datetime) -> None:
    """Refuses a regular member's write of an entry that starts inside the locked period."""
    lock = parse_instant(call.workspace["workspaceSettings"].get("lockTimeEntries") or "")
    if lock is None or is_admin(call):
        return
    for start in starts:
        moment = parse_instant(start) if isinstance(start, str) else start
        if moment is not None and moment < lock:
            raise ApiError(403, _LOCKED, 1003)


def check_manual_time(call: Call, *, finished: bool, per_user_route: bool) -> None:
    """Refuses an entry with an end where the workspace allows the stopwatch only."""
    mode = call.workspace["workspaceSettings"].get("timeTrackingMode")
    if not finished or mode != "STOPWATCH_ONLY":
        return
    if per_user_route and is_admin(call):
        return
    raise ApiError(403, _MANUAL_DISABLED, 4030)
