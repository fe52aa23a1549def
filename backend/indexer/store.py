"""Writing and undoing the index inside one database transaction.

``commit_chunk`` stores a chunk's events, their derived state, the block hashes and the new
checkpoint together: a process killed at any moment leaves either all of a chunk or none of
it. ``rollback_to`` undoes everything above a reorg's common ancestor; ``rebuild`` recreates
all derived state from the ``events`` table alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session

from . import expiry_buckets
from .models import (
    EVENT_KEYED_TABLES,
    LATEST_VALUE_TABLES,
    SUM_TABLES,
    Event,
    IndexCheckpoint,
    IndexedBlock,
    Merchant,
)
from .projector import LATEST_VALUE_EVENTS, Projector

REPLAY_BATCH = 5_000
_EVENT_COLUMNS = (
    "block_number log_index block_hash block_timestamp tx_hash tx_index contract event args"
)


def checkpoint(session: Session) -> IndexCheckpoint | None:
    return session.get(IndexCheckpoint, 1)


def merchant_tokens(session: Session) -> list[str]:
    return list(session.scalars(select(Merchant.token).order_by(Merchant.id)))


def _set_checkpoint(session: Session, number: int, block_hash: str) -> None:
    current = checkpoint(session)
    if current is None:
        session.add(IndexCheckpoint(id=1, block_number=number, block_hash=block_hash))
    else:
        current.block_number, current.block_hash = number, block_hash


def commit_chunk(
    session: Session,
    events: Sequence[dict[str, Any]],
    block_hashes: dict[int, str],
    end: int,
    reorg_window: int,
) -> list[str]:
    """Writes one chunk (call inside a transaction); returns tokens admitted in it."""
    if events:
        session.connection().execute(Event.__table__.insert(), list(events))  # type: ignore[attr-defined]
    projector = Projector(session)
    projector.apply(events)
    projector.flush()
    existing = set(
        session.scalars(
            select(IndexedBlock.block_number).where(IndexedBlock.block_number.in_(block_hashes))
        )
    )
    for number, block_hash in block_hashes.items():
        if number not in existing:
            session.add(IndexedBlock(block_number=number, block_hash=block_hash))
    session.execute(delete(IndexedBlock).where(IndexedBlock.block_number < end - reorg_window))
    _set_checkpoint(session, end, block_hashes[end])
    return projector.new_tokens


def _event_dicts(
    session: Session, *conditions: Any, limit: int | None = None
) -> list[dict[str, Any]]:
    statement = (
        select(*(getattr(Event, c) for c in _EVENT_COLUMNS.split()))
        .where(*conditions)
        .order_by(Event.block_number, Event.log_index)
        .limit(limit)
    )
    return [row._asdict() for row in session.execute(statement)]


def rollback_to(session: Session, ancestor: int, ancestor_hash: str) -> int:
    """Removes every row above block ``ancestor`` and undoes its derived state; returns the
    number of events removed. The checkpoint becomes the ancestor."""
    removed = _event_dicts(session, Event.block_number > ancestor)
    projector = Projector(session)
    projector.unapply(removed)
    projector.flush()
    for model in EVENT_KEYED_TABLES:
        session.execute(delete(model).where(model.block_number > ancestor))
    session.execute(delete(Event).where(Event.block_number > ancestor))
    session.execute(delete(IndexedBlock).where(IndexedBlock.block_number > ancestor))
    _replay_latest_values(session)
    expiry_buckets.replay(session)  # FIFO buckets are recomputed, not undone (issue 16)
    _set_checkpoint(session, ancestor, ancestor_hash)
    if session.get(IndexedBlock, ancestor) is None:
        session.add(IndexedBlock(block_number=ancestor, block_hash=ancestor_hash))
    return len(removed)


def _replay_latest_values(session: Session) -> None:
    for model in LATEST_VALUE_TABLES:
        session.execute(delete(model))
    session.expunge_all()
    projector = Projector(session, latest_only=True)
    projector.apply(_event_dicts(session, Event.event.in_(sorted(LATEST_VALUE_EVENTS))))
    projector.flush()


def rebuild(session: Session) -> int:
    """Recreates every derived table from ``events`` alone; returns the events replayed."""
    for model in (*SUM_TABLES, *EVENT_KEYED_TABLES, *LATEST_VALUE_TABLES):
        session.execute(delete(model))
    expiry_buckets.clear(session)
    session.expunge_all()
    block, index, replayed = -1, -1, 0
    while True:
        after = or_(
            Event.block_number > block, and_(Event.block_number == block, Event.log_index > index)
        )
        batch = _event_dicts(session, after, limit=REPLAY_BATCH)
        if not batch:
            return replayed
        projector = Projector(session)
        projector.apply(batch)
        projector.flush()
        replayed += len(batch)
        block, index = batch[-1]["block_number"], batch[-1]["log_index"]
