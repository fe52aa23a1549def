"""The deliverer's write transactions, apart so that ``delivery`` and ``retention`` share them
without importing each other."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker


@contextmanager
def write_transaction(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A transaction that reads and then writes, safe beside the other workers' writes.

    On SQLite it takes the write lock first (``BEGIN IMMEDIATE``): in WAL mode a transaction
    that read before another connection committed fails at its first write at once instead of
    waiting for the lock, and the deliverer's workers do commit concurrently."""
    with sessions() as session:
        try:
            if session.get_bind().dialect.name == "sqlite":
                session.execute(text("BEGIN IMMEDIATE"))
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
