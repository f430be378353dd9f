"""Webhook deliveries, sent after the request that caused them has committed: a POST of
the queued body with Clockify's headers (§22.1, §38.2) to the webhook's URL, but only to a URL on
this machine; anything else is marked FAILED unsent, so that the sandbox never calls out.

Sending happens on one background thread per `Sandbox`, started when a request has queued
something, so that no request waits for a receiver. The thread is not a daemon: a short
process (`run --sandbox`) answers first, then stays until its deliveries are sent or have
used their bounded retries (`ATTEMPTS`, each with a `TIMEOUT_SECONDS` limit).
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
import time
import uuid
from urllib.parse import urlsplit

import httpx

from clockify_actions.loopback import is_loopback_host, pin_loopback

from ._store import Store, read_config
from ._time import format_instant

log = logging.getLogger("clockify_actions.sandbox")

ATTEMPTS = 3
TIMEOUT_SECONDS = 2.0
BACKOFF_SECONDS = (0.2, 1.0)  # before the second and the third attempt


def on_this_machine(url: str) -> bool:
    """Whether `url` is http(s) to a loopback address or a loopback name, which the
    delivery connects to a loopback address whatever a resolver says (see `loopback`)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    return parts.scheme in ("http", "https") and bool(host) and is_loopback_host(host)


def pending(db: sqlite3.Connection) -> bool:
    """Whether any delivery waits to be sent."""
    found = db.execute("SELECT 1 FROM webhook_deliveries WHERE status = 'PENDING' LIMIT 1")
    return found.fetchone() is not None


class Deliverer:
    """Sends the state file's pending deliveries; `wake()` after each committed request."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._again = False

    def wake(self) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                self._again = True
                return
            self._again = False
            self._thread = threading.Thread(
                target=self._drain, name="sandbox-webhooks", daemon=False
            )
            self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Until every delivery queued so far is sent or given up (or `timeout` passes)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _drain(self) -> None:
        transport = pin_loopback(httpx.HTTPTransport(trust_env=False))
        with httpx.Client(transport=transport, trust_env=False, timeout=TIMEOUT_SECONDS) as http:
            while True:
                claimed = self._claim()
                if claimed is None:
                    with self._lock:
                        if not self._again:
                            self._thread = None
                            return
                        self._again = False
                    continue
                self._send(http, *claimed)

    def _claim(self) -> tuple[int, str, str, str, str] | None:
        with self._store.write() as db:
            row = db.execute(
                "UPDATE webhook_deliveries SET status = 'SENDING' WHERE id = ("
                " SELECT id FROM webhook_deliveries WHERE status = 'PENDING' ORDER BY id LIMIT 1)"
                " RETURNING id, event, url, token, body"
            ).fetchone()
        return None if row is None else (row[0], row[1], row[2], row[3], row[4])

    def _log(self, delivery: int, attempt: int, code: int | None, response: str) -> None:
        """One attempt, for the webhook's logs. Its id is derived, not drawn from the id
        counter, so that deliveries leave the ids of later records as they were."""
        log_id = hashlib.sha256(f"sandbox-webhook-log:{delivery}:{attempt}".encode()).hexdigest()
        with self._store.write() as db:
            db.execute(
                "INSERT OR REPLACE INTO webhook_logs"
                " (id, delivery_id, webhook_id, status_code, response, responded_at)"
                " SELECT ?, id, webhook_id, ?, ?, ? FROM webhook_deliveries WHERE id = ?",
                (log_id[:24], code, response, format_instant(read_config(db).now()), delivery),
            )

    def _send(
        self, http: httpx.Client, delivery: int, event: str, url: str, token: str, body: str
    ) -> None:
        status, code, response, attempts = "FAILED", None, "", 0
        if not on_this_machine(url):
            response = "not sent: the sandbox delivers only to URLs on this machine"
            self._log(delivery, 1, None, response)
        else:
            headers = {
                "Content-Type": "application/json",
                "Clockify-Signature": token,
                "Clockify-Webhook-Event-Type": event,
            }
            for attempts in range(1, ATTEMPTS + 1):
                # A new key on every attempt, as live sends it (§38.2): never one to dedupe on.
                headers["Idempotency-Key"] = str(uuid.uuid4())
                try:
                    answer = http.post(url, content=body.encode(), headers=headers)
                    code, response = answer.status_code, answer.text[:1000]
                except httpx.HTTPError as error:
                    code, response = None, f"{type(error).__name__}: {error}"
                self._log(delivery, attempts, code, response)
                if 200 <= (code or 0) < 300:
                    status = "SUCCEEDED"
                    break
                if attempts < ATTEMPTS:
                    time.sleep(BACKOFF_SECONDS[attempts - 1])
        log.debug("webhook %s to %s: %s after %d attempt(s)", event, url, status, attempts)
        with self._store.write() as db:
            db.execute(
                "UPDATE webhook_deliveries SET status = ?, attempts = ?, status_code = ?,"
                " response = ? WHERE id = ?",
                (status, attempts, code, response, delivery),
            )
