"""`clockify-actions export PLATFORM DIR`: the pack's actions as files a workflow
platform takes as they are, each generated from `Pack.describe`.

One module per platform, each a function from the pack's `Source` to the files it writes
(relative path to text); `PLATFORMS` is the table of them. The same pack always gives the
same files, byte for byte. Like every adapter, an export uses only the public runtime.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clockify_actions.adapters.export import http_flows, pipedream, prefect, stackstorm, windmill
from clockify_actions.adapters.export._shared import Source, source
from clockify_actions.errors import ActionError, ErrorType

if TYPE_CHECKING:
    from clockify_actions.runtime import Pack

# Where `clockify-actions serve --http` listens unless told otherwise.
DEFAULT_SERVER_URL = "http://127.0.0.1:8787"

PLATFORMS: dict[str, Callable[[Source], dict[str, str]]] = {
    "stackstorm": stackstorm.files,
    "windmill": windmill.files,
    "pipedream": pipedream.files,
    "prefect": prefect.files,
    "node-red": http_flows.node_red_files,
    "n8n": http_flows.n8n_files,
}


def render(pack: Pack, platform: str, server_url: str = DEFAULT_SERVER_URL) -> dict[str, str]:
    """The platform's files for the pack, by relative path."""
    return PLATFORMS[platform](source(pack, server_url))


def export(
    pack: Pack, platform: str, directory: Path, server_url: str = DEFAULT_SERVER_URL
) -> dict[str, Any]:
    """Writes the platform's files under `directory` (made if missing; files of the same
    names replaced, others left alone) and says which."""
    written = render(pack, platform, server_url)
    for relative, text in written.items():
        target = directory / relative
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        except OSError as error:
            raise ActionError(
                ErrorType.CONFIG, f"Cannot write {target}: {error.strerror or error}."
            ) from None
    return {"platform": platform, "directory": str(directory), "files": sorted(written)}
