"""Webhook deliveries per second to local receivers: one endpoint (the serial figure) and
``ENDPOINTS`` endpoints delivered to in parallel by one deliverer, each beside plain HTTP POSTs
of the same bodies to the same receiver in the same run (the baseline: what urllib and the
receiver cost without the outbox, the signing and the attempt records).

``python -m benchmarks.webhooks [--events N]``: a fresh SQLite database per measurement and N
deliveries in all (N indexed ``Issued`` events to one endpoint, or N / ENDPOINTS events heard
by each of ENDPOINTS endpoints), ``Deliverer.run_once`` passes until none is pending. Measured
twice: receivers that answer at once (what the deliverer itself costs on this machine), and
receivers that answer after ``LATENCY`` (a receiver across a network: what parallel delivery
is for), with N / 4 deliveries.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from sqlalchemy import select

from tongdui.core.db import make_engine, migrate, session_factory, transaction
from tongdui.indexer.models import Event, IndexCheckpoint
from tongdui.webhooks.delivery import WORKERS, Deliverer, body_of, pending_count
from tongdui.webhooks.endpoints import create_endpoint
from tongdui.webhooks.models import WebhookEvent

TOKEN = "0x" + "a1" * 20
ENDPOINTS = WORKERS  # one per worker of the deliverer
LATENCY = 0.02  # seconds a "remote" receiver takes to answer


class _Server(ThreadingHTTPServer):
    delay = 0.0
    daemon_threads = True


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    server: _Server

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        time.sleep(self.server.delay)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def _deliveries_per_s(url: str, deliveries: int, endpoints: int) -> tuple[float, list[bytes]]:
    """Deliveries per second of ``deliveries`` in all over ``endpoints`` endpoints on one
    receiver; also the bodies sent (for the plain-POST baseline)."""
    events = deliveries // endpoints
    with tempfile.TemporaryDirectory() as folder:
        db = f"sqlite:///{Path(folder) / 'bench.db'}"
        migrate(db)
        engine = make_engine(db)
        sessions = session_factory(engine)
        with transaction(sessions) as session:
            for n in range(endpoints):
                create_endpoint(session, TOKEN, f"{url}/{n}", ["points.issued"])
            for n in range(events):
                session.add(
                    Event(
                        block_number=n + 1,
                        log_index=0,
                        block_hash=f"0x{n + 1:064x}",
                        block_timestamp=0,
                        tx_hash=f"0x{n + 1:064x}",
                        tx_index=0,
                        contract=TOKEN,
                        event="Issued",
                        args={"to": TOKEN, "amount": str(n)},
                    )
                )
            session.add(IndexCheckpoint(id=1, block_number=events, block_hash=f"0x{events:064x}"))
        deliverer = Deliverer(sessions, 31337, workers=max(1, min(endpoints, WORKERS)))
        started = time.perf_counter()
        while True:
            deliverer.run_once()
            with sessions() as session:
                if pending_count(session) == 0:
                    break
        seconds = time.perf_counter() - started
        with sessions() as session:
            rows = session.scalars(select(WebhookEvent).order_by(WebhookEvent.seq))
            bodies = [body_of(e) for e in rows]
        engine.dispose()
    return events * endpoints / seconds, bodies


def _plain_posts_per_s(url: str, bodies: list[bytes], deliveries: int) -> float:
    """The same bodies POSTed one after the other: ``deliveries`` of them."""
    started = time.perf_counter()
    for n in range(deliveries):
        request = urllib.request.Request(url, data=bodies[n % len(bodies)], method="POST")
        with urllib.request.urlopen(request, timeout=10) as answer:
            answer.read()
    return deliveries / (time.perf_counter() - started)


def run(events: int) -> dict[str, float]:
    server = _Server(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    figures: dict[str, float] = {"events": events, "endpoints": ENDPOINTS}
    try:
        serial, bodies = _deliveries_per_s(url, events, 1)
        figures["webhook_deliveries_per_s"] = serial
        figures["plain_posts_per_s"] = _plain_posts_per_s(url, bodies, events)
        figures["parallel_deliveries_per_s"] = _deliveries_per_s(url, events, ENDPOINTS)[0]
        server.delay = LATENCY
        remote = max(ENDPOINTS, events // 4)
        figures["remote_events"] = remote
        figures["remote_deliveries_per_s"] = _deliveries_per_s(url, remote, 1)[0]
        figures["remote_parallel_deliveries_per_s"] = _deliveries_per_s(url, remote, ENDPOINTS)[0]
    finally:
        server.shutdown()
        server.server_close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1000)
    f = run(parser.parse_args().events)
    hooks, plain = f["webhook_deliveries_per_s"], f["plain_posts_per_s"]
    print(
        f"{f['events']:.0f} deliveries to a receiver answering at once: 1 endpoint {hooks:.0f}/s, "
        f"plain POSTs {plain:.0f}/s (ratio {hooks / plain:.2f}); "
        f"{f['endpoints']:.0f} endpoints in parallel {f['parallel_deliveries_per_s']:.0f}/s"
    )
    remote, parallel = f["remote_deliveries_per_s"], f["remote_parallel_deliveries_per_s"]
    print(
        f"{f['remote_events']:.0f} deliveries to a receiver answering after "
        f"{LATENCY * 1000:.0f} ms: 1 endpoint {remote:.0f}/s, {f['endpoints']:.0f} endpoints "
        f"in parallel {parallel:.0f}/s ({parallel / remote:.1f}x)"
    )


if __name__ == "__main__":
    main()
