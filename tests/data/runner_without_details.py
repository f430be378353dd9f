"""A runner with a wiring bug: it wraps `clockify-actions serve` and drops every error's
`details`, as a platform's glue that copies only the fields it knows might."""

import json
import subprocess
import sys

worker = subprocess.Popen(
    [sys.executable, "-m", "clockify_actions", "serve"],
    stdin=subprocess.PIPE,
    stdout=subprocess.PIPE,
)
assert worker.stdin is not None and worker.stdout is not None
for line in sys.stdin.buffer:
    worker.stdin.write(line)
    worker.stdin.flush()
    answer = json.loads(worker.stdout.readline())
    answer["envelope"].get("error", {}).pop("details", None)
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
worker.stdin.close()
sys.exit(worker.wait())
