"""How long filling the webhook outbox holds the database's write lock (issue 19): the
deliverer's ``collect`` runs in one write transaction (on SQLite ``BEGIN IMMEDIATE``, the one
lock order intake also waits for), so its duration is the time intake is kept waiting.

``python -m benchmarks.outbox [--swaps N] [--per-block B]``: a fresh migrated SQLite database,
two merchants with one endpoint each (``swap.out`` and ``swap.in``), N indexed ``Swapped``
logs, B per block, alternating direction: each makes two outbox events (one per merchant) and
two deliveries. Measured, each as ``Deliverer.collect`` from its BEGIN to its COMMIT:

- the backlog: one collect of all N logs (a deliverer started behind the index);
- a re-scan: the same N logs again after the cursor is lost (every id already there, nothing
  added: the idempotence check alone);
- steady state: 50 more blocks indexed one at a time, one collect after each (the loop's
  pass behind a live index), as the mean lock time per pass.

Baseline, in the same run: reading the same N logs as ORM rows in a read transaction, the
part of a backlog's collect that no batching removes. Run it on two commits to compare them:
the figures are of whatever ``tongdui`` it imports.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from tongdui.core.db import make_engine, migrate, session_factory, transaction
from tongdui.indexer.models import Event, IndexCheckpoint
from tongdui.webhooks.delivery import Deliverer
from tongdui.webhooks.endpoints import create_endpoint
from tongdui.webhooks.models import WebhookCursor, WebhookDelivery, WebhookEvent

CHAIN_ID = 31337
MERCHANTS = ("0x" + "a1" * 20, "0x" + "b2" * 20)
STEADY_BLOCKS = 50


def _index(sessions: sessionmaker[Session], first: int, blocks: int, per_block: int) -> None:
    """What the indexer writes for ``blocks`` final blocks from ``first``: swaps and the
    checkpoint."""
    with transaction(sessions) as session:
        for number in range(first, first + blocks):
            for log_index in range(per_block):
                a, b = MERCHANTS if (number + log_index) % 2 else MERCHANTS[::-1]
                session.add(
                    Event(
                        block_number=number,
                        log_index=log_index,
                        block_hash=f"0x{number:064x}",
                        block_timestamp=number,
                        tx_hash=f"0x{number * 1000 + log_index:064x}",
                        tx_index=log_index,
                        contract="0x" + "e0" * 20,
                        event="Swapped",
                        args={"fromToken": a, "toToken": b, "amountIn": "5", "amountOut": "4"},
                    )
                )
        last = first + blocks - 1
        checkpoint = session.get(IndexCheckpoint, 1) or IndexCheckpoint(id=1)
        checkpoint.block_number, checkpoint.block_hash = last, f"0x{last:064x}"
        session.add(checkpoint)


@contextmanager
def _timed(into: list[float]) -> Iterator[None]:
    started = time.perf_counter()
    yield
    into.append(time.perf_counter() - started)


def run(swaps: int, per_block: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        db = f"sqlite:///{Path(folder) / 'outbox.db'}"
        migrate(db)
        engine = make_engine(db)
        sessions = session_factory(engine)
        with transaction(sessions) as session:
            for token in MERCHANTS:
                create_endpoint(session, token, "http://127.0.0.1:9/hooks", ["swap.in", "swap.out"])
        blocks = max(1, swaps // per_block)
        _index(sessions, 1, blocks, per_block)
        read: list[float] = []
        with _timed(read), sessions() as session:
            session.scalars(select(Event).order_by(Event.block_number, Event.log_index)).all()
        deliverer = Deliverer(sessions, CHAIN_ID)
        backlog: list[float] = []
        with _timed(backlog):
            added = deliverer.collect()
        with transaction(sessions) as session:  # the outbox forgets how far it read
            session.execute(delete(WebhookCursor))
        rescan: list[float] = []
        with _timed(rescan):
            again = deliverer.collect()
        steady: list[float] = []
        for number in range(blocks + 1, blocks + 1 + STEADY_BLOCKS):
            _index(sessions, number, 1, per_block)
            with _timed(steady):
                deliverer.collect()
        with sessions() as session:
            events = session.scalar(select(func.count()).select_from(WebhookEvent)) or 0
            deliveries = session.scalar(select(func.count()).select_from(WebhookDelivery)) or 0
        engine.dispose()
    return {
        "swaps": blocks * per_block,
        "per_block": per_block,
        "added": added,
        "added_again": again,
        "events": events,
        "deliveries": deliveries,
        "read_s": read[0],
        "backlog_s": backlog[0],
        "backlog_events_per_s": added / backlog[0],
        "rescan_s": rescan[0],
        "rescan_logs_per_s": blocks * per_block / rescan[0],
        "steady_mean_ms": 1000 * sum(steady) / len(steady),
        "steady_max_ms": 1000 * max(steady),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--swaps", type=int, default=5_000)
    parser.add_argument("--per-block", type=int, default=20)
    args = parser.parse_args()
    f = run(args.swaps, args.per_block)
    print(
        f"{f['swaps']:.0f} swaps ({f['per_block']:.0f} per block) → {f['added']:.0f} outbox "
        f"events in the backlog; {f['events']:.0f} events and {f['deliveries']:.0f} "
        "deliveries with the steady state's"
    )
    print(
        f"backlog: one collect held the write lock {f['backlog_s'] * 1000:.0f} ms "
        f"({f['backlog_events_per_s']:.0f} outbox events/s); reading the logs alone "
        f"(baseline) {f['read_s'] * 1000:.0f} ms"
    )
    print(
        f"re-scan after a lost cursor: {f['rescan_s'] * 1000:.0f} ms "
        f"({f['rescan_logs_per_s']:.0f} logs/s), added {f['added_again']:.0f}"
    )
    print(
        f"steady state, one collect per block of {f['per_block']:.0f} swaps: "
        f"mean {f['steady_mean_ms']:.1f} ms, max {f['steady_max_ms']:.1f} ms of write lock"
    )


if __name__ == "__main__":
    main()
