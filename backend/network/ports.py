"""Loopback ports for the network's nodes: free ones picked below the kernel's ephemeral range,
and a check that one is still free before a node binds it."""

from __future__ import annotations

import random
import socket
from pathlib import Path

from ..core.errors import ChainUnavailableError


def free_port(used: set[int] | None = None) -> int:
    """A free loopback TCP port not in ``used`` (which it joins), below the kernel's ephemeral
    range: a port from that range can be taken, between the network's creation and a node's
    start, by any outgoing connection (the nodes' own among them)."""
    used = used if used is not None else set()
    low, high = _port_range()
    for _ in range(1_000):
        port = random.randrange(low, high)
        if port not in used and port_is_free(port):
            used.add(port)
            return port
    raise ChainUnavailableError(f"no free TCP port between {low} and {high} on 127.0.0.1")


def _port_range() -> tuple[int, int]:
    """Ports 20000 up to the start of the ephemeral range (32768 on Linux by default)."""
    try:
        first = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        first = 32_768
    return (20_000, first) if first > 21_000 else (first - 1_000, first)


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True
