"""Whether a host name is this machine: the one rule the client (plain http, no proxy) and
the sandbox (where it may deliver webhooks) both go by."""

from __future__ import annotations

import ipaddress


def is_loopback_host(host: str) -> bool:
    """`localhost`, a `*.localhost` name (always this machine, RFC 6761) or a loopback
    address; any other name might resolve elsewhere."""
    host = host.rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
