"""The indexer's database as of one moment, opened from a URL the auditor gives (``--db``).

Both sides of a database audit are pinned to one block: the whole database is read in one read
transaction (``IndexSnapshot``), whose checkpoint is the block the chain is replayed to, so an
index that moves during the audit is compared as it was at that block. The tables are read by
reflection (plain SQL through SQLAlchemy Core), not through the indexer's models.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, create_engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from ..core.errors import ConfigurationError
from .stored_form import column_kind


def open_index(db_url: str) -> Engine:
    """An engine on the index, or a one-line error saying what ``--db`` takes."""
    try:
        url = make_url(db_url)
    except ArgumentError:
        hint = f"sqlite:///{Path(db_url).resolve()}" if Path(db_url).exists() else None
        raise ConfigurationError(
            f"--db takes a database URL, not {db_url!r}: "
            + (f"for that file, {hint}" if hint else "e.g. sqlite:////path/to/tongdui.db")
            + " or postgresql+psycopg://user@host/db",
            db_url=db_url,
        ) from None
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        if database in ("", ":memory:") or not Path(database).is_file():
            raise ConfigurationError(
                f"--db: there is no SQLite database at {database or '(none)'}", db_url=db_url
            )
    try:
        return create_engine(url)
    except (SQLAlchemyError, ImportError) as error:
        raise ConfigurationError(f"--db: cannot open {url!r}: {error}", db_url=db_url) from None


class IndexSnapshot:
    """The whole index as of one moment: every read is in one read transaction.

    The checkpoint read first and every table read later see the same committed state, so the
    audit compares the database at its checkpoint even while the indexer keeps writing
    (SQLite WAL: the snapshot is fixed at the first read; PostgreSQL: REPEATABLE READ).
    """

    def __init__(self, db_url: str) -> None:
        self.url = db_url
        self.engine = open_index(db_url)
        try:
            connection = self.engine.connect()
            if self.engine.dialect.name == "postgresql":
                connection = connection.execution_options(isolation_level="REPEATABLE READ")
            elif self.engine.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN")
            self.connection: Connection = connection
            self.meta = MetaData()
            self.meta.reflect(connection)
        except SQLAlchemyError as error:
            self.engine.dispose()
            raise ConfigurationError(
                f"--db: cannot read the index at {db_url}: {error.__class__.__name__}",
                db_url=db_url,
            ) from None

    def checkpoint(self) -> int | None:
        """The last block the index says it holds completely (None if it has none)."""
        table = self.meta.tables.get("index_checkpoint")
        if table is None:
            raise ConfigurationError(f"{self.url} is not a Tongdui index (no index_checkpoint)")
        row = self.connection.execute(select(table)).first()
        return None if row is None else int(row._mapping["block_number"])

    def rows(self, name: str) -> list[dict[str, Any]] | None:
        table = self.meta.tables.get(name)
        if table is None:
            return None
        return [dict(row._mapping) for row in self.connection.execute(select(table))]

    def kinds(self, name: str) -> dict[str, str]:
        return {c.name: column_kind(c.type) for c in self.meta.tables[name].columns}

    def close(self) -> None:
        try:
            self.connection.rollback()
            self.connection.close()
        finally:
            self.engine.dispose()

    def __enter__(self) -> IndexSnapshot:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def checkpoint_block(db_url: str) -> int | None:
    """The last block the index says it holds completely (None if it has none)."""
    with IndexSnapshot(db_url) as snapshot:
        return snapshot.checkpoint()
