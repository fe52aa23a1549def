"""Webhook deliveries per second to a local receiver, beside plain HTTP POSTs of the same
bodies to the same receiver in the same run (the baseline: what urllib and the receiver cost
without the outbox, the signing and the attempt records).

``python -m benchmarks.webhooks [--events N]``: a fresh SQLite database, N indexed ``Issued``
events, one endpoint; the figure is one ``Deliverer.run_once`` pass per 100 deliveries.
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
from tongdui.webhooks.delivery import Deliverer, body_of, pending_count
from tongdui.webhooks.endpoints import create_endpoint
from tongdui.webhooks.models import WebhookEvent

TOKEN = "0x" + "a1" * 20


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def run(events: int) -> dict[str, float]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    try:
        with tempfile.TemporaryDirectory() as folder:
            db = f"sqlite:///{Path(folder) / 'bench.db'}"
            migrate(db)
            engine = make_engine(db)
            sessions = session_factory(engine)
            with transaction(sessions) as session:
                create_endpoint(session, TOKEN, url, ["points.issued"])
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
                session.add(
                    IndexCheckpoint(id=1, block_number=events, block_hash=f"0x{events:064x}")
                )
            deliverer = Deliverer(sessions, 31337)
            started = time.perf_counter()
            while True:
                deliverer.run_once()
                with sessions() as session:
                    if pending_count(session) == 0:
                        break
            webhook_seconds = time.perf_counter() - started
            with sessions() as session:
                rows = session.scalars(select(WebhookEvent).order_by(WebhookEvent.seq))
                bodies = [body_of(e) for e in rows]
            started = time.perf_counter()
            for body in bodies:
                request = urllib.request.Request(url, data=body, method="POST")
                with urllib.request.urlopen(request, timeout=10) as answer:
                    answer.read()
            plain_seconds = time.perf_counter() - started
            engine.dispose()
    finally:
        server.shutdown()
        server.server_close()
    return {
        "events": events,
        "webhook_deliveries_per_s": events / webhook_seconds,
        "plain_posts_per_s": events / plain_seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1000)
    figures = run(parser.parse_args().events)
    hooks, plain = figures["webhook_deliveries_per_s"], figures["plain_posts_per_s"]
    print(
        f"{figures['events']:.0f} events: webhook deliveries {hooks:.0f}/s, "
        f"plain POSTs {plain:.0f}/s (ratio {hooks / plain:.2f})"
    )


if __name__ == "__main__":
    main()
