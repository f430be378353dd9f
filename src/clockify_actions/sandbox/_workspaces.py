"""One workspace of the caller's, as `GET /workspaces/{ws}` sends it (docs/clockify-api.md §14)."""

from __future__ import annotations

from ._call import Call
from ._http import Response


def get_workspace(call: Call) -> Response:
    # The routing has already refused (403) a workspace the caller is not a member of.
    return Response.json(200, call.workspace_doc)
