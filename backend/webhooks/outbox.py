"""Filling the outbox from the index: events are final once indexed (the indexer stops at
``head − confirmations``), so the outbox reads the ``events`` table up to the indexer's
checkpoint and never the node.

Event ids are derived from the chain event (``event_id``), so a re-scan of the same blocks
finds the ids it already has and adds nothing. When a reorg deeper than the confirmations
makes the indexer rewind, an outbox event whose log is gone (or now sits in another block)
gets a reversal: a new event with its own id naming the original in ``reverses``; the
cursor then steps back ``reorg_window`` blocks, so the new branch's events are read too.

Two kinds come from off the chain (issue 18.6): ``risk.intercepted``, written by intake in
the transaction that holds or refuses a request (``add_offchain``), and ``order.rejected``,
read from the relayer's rejected orders (``offchain.collect_offchain``), whatever rejected them (the
chain, the queue's deadline, a cancellation, a reviewer). Their ids are derived from the
request and the merchant (``offchain_id``), so a request heard twice adds nothing; they carry
``log_index`` −1 and no block hash, are never reversed, and an endpoint hears those made
after it was registered.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, insert, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningInsert

from ..indexer.models import Event, IndexCheckpoint, IndexedBlock
from .models import (
    WebhookCursor,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

POINTS_ISSUED = "points.issued"
POINTS_REDEEMED = "points.redeemed"
SWAP_OUT = "swap.out"
SWAP_IN = "swap.in"
ORDER_REJECTED = "order.rejected"
RISK_INTERCEPTED = "risk.intercepted"
REVERSAL = "event.reversed"
EVENT_TYPES = (POINTS_ISSUED, POINTS_REDEEMED, SWAP_OUT, SWAP_IN, ORDER_REJECTED, RISK_INTERCEPTED)
"""What an endpoint may subscribe to; every endpoint also hears reversals of what it heard."""

WATCHED = ("Issued", "Redeemed", "Swapped")

CHUNK = 500
"""Indexed logs per round of statements (issue 19): one query for which of their ids the outbox
has, one INSERT of the new events, one of their deliveries. A swap makes two ids, so a round's
``IN`` list stays at 1,000 values, far below SQLite's and PostgreSQL's parameter limits."""


@dataclass(frozen=True, slots=True)
class Notice:
    kind: str
    merchant_token: str
    data: dict[str, Any]


def event_id(chain_id: int, block_hash: str, tx_hash: str, log_index: int, kind: str) -> str:
    """``evt_`` + sha256 of the chain event's coordinates: the same log, the same id.

    The block hash is part of it: a transaction re-included in another block after a reorg
    is a new event (the old one was reversed), not the old id coming back."""
    raw = f"{chain_id}:{block_hash.lower()}:{tx_hash.lower()}:{log_index}:{kind}"
    return "evt_" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def reversal_id(original: str) -> str:
    return "evt_" + hashlib.sha256(f"reversal:{original}".encode()).hexdigest()[:40]


def notices(row: Event) -> Iterator[Notice]:
    """The merchant notices one indexed log makes (a swap tells both merchants)."""
    args = row.args
    if row.event == "Issued":
        yield Notice(POINTS_ISSUED, row.contract, _plain(args))
    elif row.event == "Redeemed":
        yield Notice(POINTS_REDEEMED, row.contract, _plain(args))
    elif row.event == "Swapped":
        yield Notice(SWAP_OUT, str(args["fromToken"]), _plain(args))
        yield Notice(SWAP_IN, str(args["toToken"]), _plain(args))


def _plain(args: dict[str, Any]) -> dict[str, Any]:
    return {k: (v if isinstance(v, (str, bool)) or v is None else str(v)) for k, v in args.items()}


def collect(
    session: Session, chain_id: int, *, reorg_window: int = 64, now: float | None = None
) -> int:
    """One pass: reversals for undone events, then new events up to the checkpoint.
    Returns how many outbox events (reversals included) it added."""
    at = time.time() if now is None else now
    checkpoint = session.get(IndexCheckpoint, 1)
    if checkpoint is None:
        return 0
    cursor = session.get(WebhookCursor, 1)
    if cursor is None:  # the first pass starts where the oldest endpoint starts hearing
        first = session.scalar(select(func.min(WebhookEndpoint.from_block)))
        start_at = checkpoint.block_number if first is None else first
        cursor = WebhookCursor(id=1, block_number=start_at, block_hash="")
        session.add(cursor)
    added = _reverse_undone(session, cursor.block_number - reorg_window, at)
    moved = checkpoint.block_number < cursor.block_number or _hash_changed(session, cursor)
    start = cursor.block_number
    if added or moved:
        start = max(-1, min(start, checkpoint.block_number) - reorg_window)
    rows = session.scalars(
        select(Event)
        .where(
            Event.block_number > start,
            Event.block_number <= checkpoint.block_number,
            Event.event.in_(WATCHED),
        )
        .order_by(Event.block_number, Event.log_index)
    ).all()
    endpoints = _subscribers(session)
    for offset in range(0, len(rows), CHUNK):
        added += _add_new(session, chain_id, rows[offset : offset + CHUNK], endpoints, at)
    cursor.block_number, cursor.block_hash = checkpoint.block_number, checkpoint.block_hash
    return added


def _add_new(
    session: Session,
    chain_id: int,
    rows: Sequence[Event],
    endpoints: dict[str, list[WebhookEndpoint]],
    at: float,
) -> int:
    """The outbox events of ``rows`` (in chain order) that it does not have yet, and their
    deliveries, in three statements whatever the number of rows.

    Issue 19: one existence query and one INSERT per event held the write lock (which
    intake waits for) for as long as hundreds of round trips took. Returns how many it added."""
    wanted: dict[str, dict[str, Any]] = {}  # by event id, in chain order
    for row in rows:
        for notice in notices(row):
            eid = event_id(chain_id, row.block_hash, row.tx_hash, row.log_index, notice.kind)
            wanted.setdefault(
                eid,
                {
                    "event_id": eid,
                    "kind": notice.kind,
                    "merchant_token": notice.merchant_token,
                    "block_number": row.block_number,
                    "log_index": row.log_index,
                    "block_hash": row.block_hash,
                    "tx_hash": row.tx_hash,
                    "data": notice.data,
                    "created_at": at,
                },
            )
    if not wanted:
        return 0
    known = set(
        session.scalars(select(WebhookEvent.event_id).where(WebhookEvent.event_id.in_(wanted)))
    )
    new = [values for eid, values in wanted.items() if eid not in known]
    if not new:
        return 0
    seqs = dict(session.execute(_insert_events(session), new).tuples().all())
    deliveries = [
        {
            "endpoint_id": endpoint.id,
            "event_seq": seqs[values["event_id"]],
            "state": "pending",
            "attempts": 0,
            "next_attempt_at": at,
            "created_at": at,
        }
        for values in new
        for endpoint in endpoints.get(values["merchant_token"], ())
        if _hears(endpoint, values["kind"], values["block_number"])
    ]
    if deliveries:
        session.execute(insert(WebhookDelivery), deliveries)
    return len(new)


def _insert_events(session: Session) -> ReturningInsert[tuple[str, int]]:
    """One INSERT of many rows returning each one's ``seq`` (SQLAlchemy's "insertmanyvalues").

    Deliveries go out in ``seq`` order, so the seqs must follow the rows' (chain) order.
    PostgreSQL promises that only for SQLAlchemy's ``sort_by_parameter_order`` form
    (``INSERT … SELECT … ORDER BY``); SQLite has no such form and would fall back to one
    INSERT per row, and needs none: its multi-row ``VALUES`` insert takes each next rowid in
    row order. Either way the rows come back with their event id, so nothing rests on the
    order RETURNING lists them in."""
    ordered = session.get_bind().dialect.name != "sqlite"
    return insert(WebhookEvent).returning(
        WebhookEvent.event_id, WebhookEvent.seq, sort_by_parameter_order=ordered
    )


def _hash_changed(session: Session, cursor: WebhookCursor) -> bool:
    if not cursor.block_hash:  # never read yet
        return False
    block = session.get(IndexedBlock, cursor.block_number)
    return block is not None and block.block_hash != cursor.block_hash


def _reverse_undone(session: Session, above: int, at: float) -> int:
    """Reversals for outbox events whose log is no longer in the index at the same block."""
    undone = session.scalars(
        select(WebhookEvent)
        .outerjoin(
            Event,
            and_(
                Event.block_number == WebhookEvent.block_number,
                Event.log_index == WebhookEvent.log_index,
            ),
        )
        .where(
            WebhookEvent.block_number > above,
            WebhookEvent.log_index >= 0,  # off-chain events have no log to lose
            WebhookEvent.reverses.is_(None),
            WebhookEvent.reversed_by.is_(None),
            or_(Event.block_hash.is_(None), Event.block_hash != WebhookEvent.block_hash),
        )
        .order_by(WebhookEvent.seq.desc())
    ).all()
    for original in undone:
        rid = reversal_id(original.event_id)
        original.reversed_by = rid
        reversal = WebhookEvent(
            event_id=rid,
            kind=REVERSAL,
            merchant_token=original.merchant_token,
            block_number=original.block_number,
            log_index=original.log_index,
            block_hash=original.block_hash,
            tx_hash=original.tx_hash,
            data={"reverses": original.event_id, "kind": original.kind, **original.data},
            reverses=original.event_id,
            created_at=at,
        )
        heard = session.scalars(
            select(WebhookDelivery.endpoint_id).where(WebhookDelivery.event_seq == original.seq)
        ).all()
        _enqueue(session, reversal, [session.get_one(WebhookEndpoint, e) for e in heard], at)
    return len(undone)


def _subscribers(session: Session) -> dict[str, list[WebhookEndpoint]]:
    by_token: dict[str, list[WebhookEndpoint]] = {}
    for endpoint in session.scalars(
        select(WebhookEndpoint).where(WebhookEndpoint.disabled_at.is_(None))
    ):
        by_token.setdefault(endpoint.merchant_token, []).append(endpoint)
    return by_token


def _enqueue(
    session: Session, event: WebhookEvent, endpoints: Iterable[WebhookEndpoint], at: float
) -> None:
    session.add(event)
    session.flush()
    for endpoint in endpoints:
        if _hears(endpoint, event.kind, event.block_number):
            session.add(
                WebhookDelivery(
                    endpoint_id=endpoint.id,
                    event_seq=event.seq,
                    state="pending",
                    attempts=0,
                    next_attempt_at=at,
                    created_at=at,
                )
            )


def _hears(endpoint: WebhookEndpoint, kind: str, block_number: int) -> bool:
    """An endpoint hears the kinds it subscribed to from above its ``from_block``, and every
    reversal it is handed (only those of events it heard are)."""
    return kind == REVERSAL or (
        kind in endpoint.event_types.split(",") and block_number > endpoint.from_block
    )


# ─── off-chain events ──────────────────────────────────────────────────────────────────────

OFFCHAIN_LOG_INDEX = -1


def offchain_id(chain_id: int, kind: str, merchant_token: str, subject: str) -> str:
    """``evt_`` + sha256 of what the event is about: the same request, the same id."""
    raw = f"{chain_id}:{kind}:{merchant_token.lower()}:{subject.lower()}"
    return "evt_" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def add_offchain(
    session: Session,
    chain_id: int,
    kind: str,
    merchant_token: str,
    subject: str,
    data: dict[str, Any],
    at: float,
    block_number: int = -1,
    tx_hash: str = "",
) -> bool:
    """Adds one off-chain event for ``merchant_token`` and its deliveries to the endpoints
    that subscribe to ``kind`` and were registered by ``at``; False if it was added before."""
    eid = offchain_id(chain_id, kind, merchant_token, subject)
    if session.scalar(select(WebhookEvent.seq).where(WebhookEvent.event_id == eid)):
        return False
    event = WebhookEvent(
        event_id=eid,
        kind=kind,
        merchant_token=merchant_token,
        block_number=block_number,
        log_index=OFFCHAIN_LOG_INDEX,
        block_hash="",
        tx_hash=tx_hash,
        data=data,
        created_at=at,
    )
    session.add(event)
    session.flush()
    for endpoint in session.scalars(
        select(WebhookEndpoint).where(
            WebhookEndpoint.merchant_token == merchant_token,
            WebhookEndpoint.disabled_at.is_(None),
            WebhookEndpoint.created_at <= at,
        )
    ):
        if kind in endpoint.event_types.split(","):
            session.add(
                WebhookDelivery(
                    endpoint_id=endpoint.id,
                    event_seq=event.seq,
                    state="pending",
                    attempts=0,
                    next_attempt_at=at,
                    created_at=at,
                )
            )
    return True
