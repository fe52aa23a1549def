"""A real HTTP receiver for webhook tests: a threaded server on a free port that records
every request, can be taken down (connection refused) and brought back on the same port, can
answer slowly (``delay``) and counts how many requests it served at once (``max_in_flight``).

Also what the tests write in place of the indexer (``index``, ``rewind``) and their helpers."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from tongdui.core.db import transaction
from tongdui.indexer.models import Event, IndexCheckpoint
from tongdui.webhooks.delivery import Deliverer, pending_count
from tongdui.webhooks.endpoints import create_endpoint

CHAIN_ID = 31337
TOKEN = "0x" + "a1" * 20
OTHER = "0x" + "b2" * 20
T0 = 1_800_000_000.0


class Receiver:
    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.status = 200
        self.delay = 0.0  # seconds before answering
        self.in_flight = 0
        self.max_in_flight = 0
        self._count_lock = threading.Lock()
        self.port = 0
        self._server: ThreadingHTTPServer | None = None
        self.up()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def up(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver._count_lock:
                    receiver.in_flight += 1
                    receiver.max_in_flight = max(receiver.max_in_flight, receiver.in_flight)
                time.sleep(receiver.delay)
                with receiver._count_lock:
                    receiver.in_flight -= 1
                    if receiver.status < 300:
                        receiver.received.append((dict(self.headers.items()), body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self.port = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self._server = server

    def down(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def event_ids(self) -> list[str]:
        return [json.loads(body)["id"] for _, body in self.received]

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.received]


def block_hash(number: int, fork: str = "0") -> str:
    return "0x" + fork * 2 + f"{number:062x}"


def index(sessions: sessionmaker[Session], number: int, *names: str, fork: str = "0") -> None:
    """What the indexer writes for one final block: its events and the checkpoint."""
    with transaction(sessions) as session:
        for log_index, name in enumerate(names):
            args = {"to": "0x" + "c3" * 20, "amount": str(100 + log_index)}
            if name == "Swapped":
                args = {"fromToken": OTHER, "toToken": TOKEN, "amountIn": "5"}
            session.add(
                Event(
                    block_number=number,
                    log_index=log_index,
                    block_hash=block_hash(number, fork),
                    block_timestamp=int(T0),
                    tx_hash="0x" + fork * 2 + f"{number * 100 + log_index:062x}",
                    tx_index=log_index,
                    contract=TOKEN,
                    event=name,
                    args=args,
                )
            )
        checkpoint = session.get(IndexCheckpoint, 1)
        if checkpoint is None:
            session.add(IndexCheckpoint(id=1, block_number=number, block_hash=block_hash(number)))
        else:
            checkpoint.block_number, checkpoint.block_hash = number, block_hash(number, fork)


def rewind(sessions: sessionmaker[Session], ancestor: int) -> None:
    """What the indexer does on a reorg: drop the events above the common ancestor."""
    with transaction(sessions) as session:
        session.execute(delete(Event).where(Event.block_number > ancestor))
        checkpoint = session.get_one(IndexCheckpoint, 1)
        checkpoint.block_number, checkpoint.block_hash = ancestor, block_hash(ancestor)


def register(sessions: sessionmaker[Session], url: str, *kinds: str) -> tuple[int, str]:
    with transaction(sessions) as session:
        created = create_endpoint(session, TOKEN, url, list(kinds or ("points.issued",)))
    return int(created.endpoint["id"]), created.secret


def drain(deliverer: Deliverer, start: float, step: float = 60.0, passes: int = 500) -> float:
    """Passes of the loop on a simulated clock until nothing is pending; returns the time."""
    now = start
    for _ in range(passes):
        deliverer.run_once(now)
        with deliverer.sessions() as session:
            if pending_count(session) == 0:
                return now
        now += step
    raise AssertionError("deliveries still pending")
