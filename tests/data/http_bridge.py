"""A runner that speaks the `serve` protocol on stdin/stdout and runs every request
through `clockify-actions serve --http`, as a platform's HTTP node would: a POST with the
bearer token, the envelope read from the body. Each answer's status code is appended to
the file `HTTP_BRIDGE_STATUS_LOG` names, as `<id> <status> <envelope type>`."""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request

worker = subprocess.Popen(
    [sys.executable, "-m", "clockify_actions", "serve", "--http", "--port", "0"],
    stdout=subprocess.PIPE,
)
assert worker.stdout is not None
banner = json.loads(worker.stdout.readline())
log = open(os.environ["HTTP_BRIDGE_STATUS_LOG"], "a", encoding="utf-8")  # noqa: SIM115
try:
    for line in sys.stdin.buffer:
        request = json.loads(line)
        http_request = urllib.request.Request(
            f"{banner['url']}/actions/{request['action']}",
            data=json.dumps(request["input"]).encode(),
            headers={
                "Authorization": f"Bearer {banner['token']}",
                "Content-Type": "application/json",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(http_request, timeout=60) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read()
        envelope = json.loads(body)
        kind = envelope.get("error", {}).get("type", envelope["status"])
        log.write(f"{request['id']} {status} {kind}\n")
        log.flush()
        sys.stdout.write(json.dumps({"id": request["id"], "envelope": envelope}) + "\n")
        sys.stdout.flush()
finally:
    worker.terminate()
    worker.wait()
