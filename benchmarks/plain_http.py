"""The plain HTTP ceiling beside the relay figures (issue 19): what a bare uvicorn + FastAPI
server (``plain_app``) answers per second on this machine, in as many processes as the relay's
layout has API processes, driven by the relay's own load generator (``relay_load.post_all``,
the same clients over the same ``Http`` class, bodies of an order's fields and size).

The server parses each order's JSON and answers it back with 202, and does nothing else: so the
figure is an upper bound for ``tongdui up``'s intake with that many API processes (HTTP,
routing, JSON, and the load generator's own cost on the same cores), none of the work.
"""

from __future__ import annotations

import http.client
import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eth_utils import keccak, to_checksum_address

from tests.chains import free_port
from tongdui.chain.eip712 import SwapOrder

from .relay_load import post_all

ROOT = Path(__file__).resolve().parents[1]
CEILING_REQUESTS = 5_000  # 1–2.5 s at the 2,000–5,500 req/s seen on the 2-core machine
WARM_UP = 200


def sample_bodies(count: int) -> list[bytes]:
    """Order bodies with the fields and sizes of signed ones (the server checks nothing, so
    no chain is needed to make them): distinct owners, amounts and 65-byte signatures."""
    bodies = []
    for i in range(count):
        seed = keccak(text=f"plain http order {i}")
        order = SwapOrder(
            to_checksum_address(seed[:20]),
            to_checksum_address(keccak(seed)[:20]),
            to_checksum_address(keccak(seed + b"to")[:20]),
            (i % 50 + 1) * 10**18,
            1,
            i + 1,
            int(time.time()) + 3600,
        )
        body = {k: str(v) if isinstance(v, int) else v for k, v in order.as_message().items()}
        signature = "0x" + (keccak(seed + b"r") + keccak(seed + b"s") + b"\x1b").hex()
        bodies.append(json.dumps({**body, "signature": signature}).encode())
    return bodies


@dataclass
class Ceiling:
    """``requests`` POSTs answered in ``seconds`` by ``processes`` processes."""

    processes: int
    requests: int
    clients: int
    seconds: float
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def measure_ceiling(
    processes: int, clients: int, folder: Path, requests: int = CEILING_REQUESTS
) -> Ceiling:
    """The plain server in ``processes`` processes, ``requests`` POSTs of order bodies by
    ``clients`` clients (after a warm-up that opens every connection's path)."""
    bodies = sample_bodies(500)
    warm = [("/orders", bodies[i % len(bodies)]) for i in range(WARM_UP)]
    timed = [("/orders", bodies[i % len(bodies)]) for i in range(requests)]
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def answered(_index: int, _sent: float, status: int, _answer: Any) -> None:
        with lock:
            statuses[status] = statuses.get(status, 0) + 1

    with plain_server(processes, folder) as url:
        post_all(url, warm, clients, lambda *_: None)
        seconds, _ = post_all(url, timed, clients, answered)
    return Ceiling(processes, requests, clients, seconds, statuses)


@contextmanager
def plain_server(processes: int, folder: Path) -> Iterator[str]:
    """``processes`` plain servers on one free port; yields the URL once each has answered;
    SIGTERM to each at the end."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = (folder / "plain-http.log").open("ab")
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "benchmarks.plain_app", "--port", str(port)],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for _ in range(processes)
    ]
    try:
        url = f"http://127.0.0.1:{port}"
        wait_listening(url, children)
        yield url
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        log.close()


def wait_listening(url: str, children: list[subprocess.Popen[bytes]], timeout: float = 60) -> None:
    """Until every child has answered ``/health``, each asked on a new connection (the kernel
    spreads connections over a ``SO_REUSEPORT`` group by a hash, so a few tries reach each)."""
    host, port = url.rsplit(":", 1)
    want = {child.pid for child in children}
    seen: set[int] = set()
    deadline = time.monotonic() + timeout
    while seen != want:
        for child in children:
            if child.poll() is not None:
                raise RuntimeError(f"the plain HTTP server exited with {child.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"plain HTTP server: {len(seen)} of {len(want)} answered")
        connection = http.client.HTTPConnection(host.removeprefix("http://"), int(port), timeout=5)
        try:
            connection.request("GET", "/health")
            seen.add(json.loads(connection.getresponse().read())["pid"])
        except OSError:
            time.sleep(0.1)  # not listening yet
        finally:
            connection.close()
