"""Alembic environment: runs migrations on the URL given by ``tongdui.core.db.migrate``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import pool, text

from tongdui.core.db import Base, make_engine

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None
    engine = make_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=url.startswith("sqlite"),
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # One migrating process at a time (several parts may start together).
                connection.execute(text("SELECT pg_advisory_xact_lock(2026112401)"))
            context.run_migrations()
    engine.dispose()


run_migrations_online()
