import base64
from typing import Any

from clockify_actions.clockify import ClockifyClient
from clockify_actions.resources.expenses.helpers import expenses_path


def run(params: dict[str, Any], client: ClockifyClient) -> dict[str, Any]:
    expense_id, file_id = params["expense_id"], params["file_id"]
    path = expenses_path(client, params["workspace_id"], expense_id, "files", file_id)
    content, content_type = client.get_file(path)
    return {
        "expense_id": expense_id,
        "file_id": file_id,
        "content_type": content_type.split(";")[0].strip() or None,
        "size_bytes": len(content),
        "content_base64": base64.b64encode(content).decode("ascii"),
    }
