"""A PostgreSQL server of the benchmark's own (``tests.postgres_server``: a free port and a
temporary folder, stopped and removed after the run, so no other run's server is shared or
loaded), and a fresh database on it for each measurement.
"""

from __future__ import annotations

import secrets

from sqlalchemy import create_engine, text

from tests.postgres_server import postgres_server

__all__ = ["fresh_database", "postgres_server"]


def fresh_database(server_url: str, prefix: str = "bench_relay") -> str:
    """A new empty database on the server; its URL."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return server_url.rsplit("/", 1)[0] + "/" + name
