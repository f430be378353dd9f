"""Clockify's own hosts, replayed on loopback, for `fixtures verify --runner`.

A fixture about the connection itself (`connection: {region: euc1}`) proves that the
worker chooses the root from the region; handing the runner a loopback root would replace
the very root it checks. So such a runner is started with the fixture's connection as it
is, `HTTPS_PROXY` naming the replay server and `SSL_CERT_FILE` a certificate authority
made for this run (`tunnel_environment`). The worker's client then asks the replay server
for `CONNECT euc1.clockify.me:443`, as it would ask a company's proxy; the replay server
ends the tunnel's TLS with a certificate for that host signed by the run's authority and
answers what arrives inside as `https://euc1.clockify.me/...`, so the cassette's host is
checked with the path (`TunnelEnd`). Nothing leaves this machine: the proxy listens on
loopback and reaches no host, it only answers.

The authority and its certificates are trustme's (the `verify` extra), imported only when
a fixture needs them, so that the core install stays as it is.
"""

from __future__ import annotations

import http.server
import ssl
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

VERIFY_EXTRA = "pip install 'clockify-actions[verify]'"
# Variables that would send the worker's HTTPS elsewhere or trust other certificates.
_PROXY_SUFFIX = "_proxy"
_OTHER_CA = "SSL_CERT_DIR"


class TunnelUnavailable(Exception):
    """The run's certificate authority cannot be made (trustme is not installed)."""


class Authority:
    """A certificate authority made for one run: its certificate in `bundle` (for the
    runner's `SSL_CERT_FILE`) and a server context per host it is asked for."""

    def __init__(self) -> None:
        try:
            import trustme
        except ImportError:
            raise TunnelUnavailable(
                "a fixture about the connection is replayed at Clockify's own host through "
                "a proxy with a test certificate authority, which needs trustme: "
                f"{VERIFY_EXTRA}"
            ) from None
        self._ca = trustme.CA(organization_name="clockify-actions fixtures verify")
        self._folder = tempfile.TemporaryDirectory(prefix="clockify-actions-ca-")
        self.bundle = Path(self._folder.name) / "ca.pem"
        self._ca.cert_pem.write_to_path(str(self.bundle))
        self._contexts: dict[str, ssl.SSLContext] = {}
        self._lock = threading.Lock()

    def server_context(self, host: str) -> ssl.SSLContext:
        """A TLS server context with a certificate for `host`, made once per host."""
        with self._lock:
            context = self._contexts.get(host)
            if context is None:
                context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
                self._ca.issue_cert(host).configure_cert(context)
                self._contexts[host] = context
            return context

    def close(self) -> None:
        self._folder.cleanup()


def tunnel_environment(environ: Mapping[str, str], proxy: str, bundle: Path) -> dict[str, str]:
    """`environ` with HTTPS sent through the proxy at `proxy` and only the run's
    authority trusted: every other proxy setting (`NO_PROXY` too) and CA folder dropped."""
    env = {
        name: value
        for name, value in environ.items()
        if not name.lower().endswith(_PROXY_SUFFIX) and name != _OTHER_CA
    }
    # Both spellings: Python reads the lower-case one first, other clients the upper.
    env.update({"HTTPS_PROXY": proxy, "https_proxy": proxy, "SSL_CERT_FILE": str(bundle)})
    return env


def own_host_url(uri: str) -> str:
    """A recorded request's URL as it arrives through a tunnel: `https://host[:port]`
    (the host in lower case, port 443 left out), then its path and query."""
    parts = urlsplit(uri)
    port = "" if parts.port in (None, 443) else f":{parts.port}"
    origin = f"{parts.scheme}://{(parts.hostname or '').lower()}{port}"
    return f"{origin}{parts.path}?{parts.query}" if parts.query else f"{origin}{parts.path}"


class TunnelEnd(http.server.BaseHTTPRequestHandler):
    """A request handler that also ends `CONNECT host:port` tunnels with TLS for `host`
    and goes on reading requests inside them; `tunnel` is then the origin they are for
    (`https://host`), else None. A subclass gives the `authority`; without one, a CONNECT
    is refused and `refused` is told why."""

    protocol_version = "HTTP/1.1"
    tunnel: str | None = None

    def authority(self) -> Authority | None:
        return None

    def refused(self, reason: str) -> None:
        """A CONNECT was refused for `reason`."""

    def do_CONNECT(self) -> None:
        host, _, port = self.path.rpartition(":")
        authority = self.authority()
        if self.tunnel is not None or authority is None or not host or not port.isdigit():
            self.refused(f"CONNECT {self.path}")
            self.send_error(403, "no tunnel to that host here")
            self.close_connection = True
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        try:
            tls = authority.server_context(host).wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError):
            # The client did not trust the run's authority (or went away): nothing arrives.
            self.refused(f"CONNECT {self.path} (the TLS handshake failed)")
            self.close_connection = True
            return
        # The handler's loop now reads the tunnel's requests and writes its answers.
        self.connection = tls
        self.rfile = tls.makefile("rb")
        self.wfile = tls.makefile("wb")
        self.tunnel = own_host_url(f"https://{host}:{port}")
        self.close_connection = False

    def finish(self) -> None:
        super().finish()
        # The server closes the socket it accepted, which the TLS one took over.
        self.connection.close()
