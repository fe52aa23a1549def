"""Database engine, sessions and migrations (SQLAlchemy 2 + Alembic).

SQLite by default (one file in the data folder, WAL so readers never block the indexer's
writer), PostgreSQL when ``TONGDUI_DB_URL`` says so. The schema is only ever created by
Alembic migrations (``migrate``), never by ``create_all``, so SQLite and PostgreSQL databases
built months apart have the same tables. The database is an index: the chain is the truth.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import BigInteger, Engine, MetaData, create_engine, event, text
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

# Amounts are whole points or settlement units; int64 covers 9.2 × 10^18 of them. Writers
# check bounds (see ``check_int64``) and refuse rather than store a wrong number.
Amount = BigInteger
INT64_MAX = 2**63 - 1

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every table; models live beside the component that owns them."""

    metadata = MetaData(naming_convention=NAMING)


def check_int64(value: int, what: str) -> int:
    if not 0 <= value <= INT64_MAX:
        raise OverflowError(f"{what} = {value} is outside the index's 0..2^63-1 range")
    return value


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with SQLite tuned for one writer and many readers."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config


def migrate(url: str) -> None:
    """Brings the schema to the newest revision of every component's branch.

    Safe when several processes start at once (``tongdui serve`` and ``tongdui relay`` on one
    database): SQLite migrations are serialised by a lock file beside the database, and
    PostgreSQL ones by an advisory lock taken in ``migrations/env.py``.
    """
    path = url.split("///", 1)[-1] if url.startswith("sqlite") else ""
    if not path or path == ":memory:":
        command.upgrade(alembic_config(url), "heads")
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(f"{path}.migrate-lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            command.upgrade(alembic_config(url), "heads")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with factory() as session, session.begin():
        yield session


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
