"""A resource's handlers, seed and listener named as "module:function" are imported when
first used: each reference resolves to a function, and a request imports the code of its
own route only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from clockify_actions.sandbox import Sandbox
from clockify_actions.sandbox._resources import _function, resources


def test_every_named_handler_seed_and_listener_resolves_to_a_function() -> None:
    named = 0
    for name, resource in resources().items():
        assert resource.package == f"clockify_actions.resources.{name}"
        for route in resource.routes:
            for method, declared in route.handlers.items():
                if isinstance(declared, str):
                    named += 1
                    assert callable(route.handler(method)), f"{name}: {declared}"
        for declared in (resource.seed, resource.on_change):
            if isinstance(declared, str):
                named += 1
                assert callable(_function(resource.package, declared)), f"{name}: {declared}"
    assert named > 0


def test_a_request_imports_the_code_of_its_own_route_only(tmp_path: Path) -> None:
    db = str(tmp_path / "sandbox.sqlite3")
    with Sandbox.open(db):  # seeded here, so that the process below runs no seed
        pass
    program = (
        "import sys, httpx\n"
        "from clockify_actions.sandbox import DEMO_API_KEY, Sandbox\n"
        f"sandbox = Sandbox.open({db!r})\n"
        "with httpx.Client(transport=sandbox.transport(), headers={'X-Api-Key': DEMO_API_KEY}) as c:\n"
        "    c.get('https://api.clockify.me/api/v1/workspaces').raise_for_status()\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=True
    )
    loaded = set(result.stdout.split())
    assert "clockify_actions.resources.tags.sandbox" in loaded
    assert "clockify_actions.resources.tags.sandbox_items" not in loaded
    assert "clockify_actions.resources.tags.sandbox_collection" not in loaded
