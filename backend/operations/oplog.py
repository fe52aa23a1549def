"""The operation log: append an action, read it, verify the hash chain.

Each entry's ``hash`` is the SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8) of
every field but ``hash`` itself, ``prev_hash`` included, so changing, deleting or reordering a
row breaks the link at that row. The first entry's ``prev_hash`` is 64 zeros. There is no
update or delete function: the log only grows. Appending is serialised by the database (the
unique ``seq``): a writer that loses the race retries on the new head, so concurrent writers
keep one chain.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ..core.db import write_transaction
from .models import OpLogEntry

GENESIS = "0" * 64
RETRIES = 20


def canonical(value: Any) -> str:
    """The one JSON text of a value that is hashed: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(value: Any) -> str:
    return hashlib.sha256(canonical(value).encode()).hexdigest()


def _fields(row: OpLogEntry) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "at": row.at,
        "merchant_token": row.merchant_token,
        "actor": json.loads(row.actor),
        "action": row.action,
        "target": row.target,
        "request_digest": row.request_digest,
        "result": json.loads(row.result),
        "prev_hash": row.prev_hash,
    }


def entry_hash(row: OpLogEntry) -> str:
    return digest(_fields(row))


def as_dict(row: OpLogEntry) -> dict[str, Any]:
    return {**_fields(row), "hash": row.hash}


@dataclass(frozen=True, slots=True)
class Action:
    """What is appended: who did what to what, with which request and result."""

    action: str
    actor: dict[str, Any]
    target: str = ""
    merchant_token: str | None = None
    request: Any = None
    result: dict[str, Any] | None = None


def append(sessions: sessionmaker[Session], action: Action) -> OpLogEntry:
    """Appends ``action`` after the current head in its own transaction and returns the row.

    Its own transaction so a refused request (whose session rolls back) is still logged."""
    for attempt in range(RETRIES):
        try:
            # on SQLite it takes the write lock before reading the head (core.db)
            with write_transaction(sessions) as session:
                head = session.scalar(select(OpLogEntry).order_by(OpLogEntry.seq.desc()).limit(1))
                row = OpLogEntry(
                    seq=1 if head is None else head.seq + 1,
                    at=datetime.now(UTC).isoformat(timespec="microseconds"),
                    merchant_token=action.merchant_token,
                    actor=canonical(action.actor),
                    action=action.action[:64],
                    target=action.target[:200],
                    request_digest=digest(action.request),
                    result=canonical(action.result or {"status": "ok"}),
                    prev_hash=GENESIS if head is None else head.hash,
                    hash="",
                )
                row.hash = entry_hash(row)
                session.add(row)
            return row
        except (IntegrityError, OperationalError):
            # another writer took this seq or held the lock: link after the new head, after a
            # short random pause so that writers colliding once do not collide again
            time.sleep(random.uniform(0, 0.002 * (attempt + 1)))
    raise RuntimeError(f"the operation log stayed contended for {RETRIES} attempts")


def read(
    session: Session, merchant_token: str | None = None, after: int = 0, limit: int = 100
) -> list[OpLogEntry]:
    query = select(OpLogEntry).where(OpLogEntry.seq > after).order_by(OpLogEntry.seq)
    if merchant_token is not None:
        query = query.where(OpLogEntry.merchant_token == merchant_token)
    return list(session.scalars(query.limit(limit)))


def read_consortium(session: Session, after: int = 0, limit: int = 100) -> list[OpLogEntry]:
    """The entries of no merchant: the consortium's own actions (reviews, its keys)."""
    query = (
        select(OpLogEntry)
        .where(OpLogEntry.seq > after, OpLogEntry.merchant_token.is_(None))
        .order_by(OpLogEntry.seq)
    )
    return list(session.scalars(query.limit(limit)))


@dataclass(frozen=True, slots=True)
class Verification:
    """The chain's state: intact, or the first broken link (its seq and why)."""

    ok: bool
    entries: int
    head_hash: str
    broken_at: int | None = None
    reason: str | None = None


def verify(session: Session) -> Verification:
    """Recomputes every hash and link in order; stops at the first break.

    ``reason`` is ``gap`` (a seq missing: a row deleted), ``prev_hash`` (the row does not
    follow the one before: reordered or a row before it replaced) or ``hash`` (the row's
    content changed after it was written)."""
    prev, expected_seq, count = GENESIS, 1, 0
    for row in session.scalars(select(OpLogEntry).order_by(OpLogEntry.seq)):
        if row.seq != expected_seq:
            return Verification(False, count, prev, expected_seq, "gap")
        if row.prev_hash != prev:
            return Verification(False, count, prev, row.seq, "prev_hash")
        if entry_hash(row) != row.hash:
            return Verification(False, count, prev, row.seq, "hash")
        prev, expected_seq, count = row.hash, expected_seq + 1, count + 1
    return Verification(True, count, prev)
