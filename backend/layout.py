"""How many processes ``tongdui up`` runs and what each one runs (issue 19): a pure choice
from the cores, the database and what was asked, so that it can be tested without starting any.

**One process** (the layout before issue 19): uvicorn in the main thread, the indexer, webhook,
relayer, payments and bulk loops as threads beside it (``runner.run_components``). It is the
only layout on SQLite, which takes one writer at a time from one file and is meant for one
process, and it is what ``tongdui up --demo`` runs by default.

**Several processes** (PostgreSQL only): N API processes on one port, each listening on its own
socket with ``SO_REUSEPORT`` (``process_child.reuse_port_socket`` says why), and one process
running every loop. Intake is transactional in the database (``relayer.serial`` serialises an
owner's orders with an advisory lock on PostgreSQL), so any API process may take any order.
The loops stay together in one process: they spend their time waiting for the node and the
database, not on the CPU; the indexer and the relayer each run once per data folder anyway;
and a process each would cost its memory and a pool of connections for nothing. The API is
what more processes speed up: intake and the reads are Python, one GIL per process.

**The default** for C cores: one process on one core (several processes would only take turns
on it); otherwise ``max(2, C - 1)`` API processes, at most ``DEFAULT_MAX_API_PROCESSES``. A
core is left to the chain, PostgreSQL and the loops process where there are cores to spare;
on two cores both API processes run, because the loops mostly wait. At most four unasked:
each process's pool may hold 15 PostgreSQL connections (SQLAlchemy's 5 + 10 overflow) and
PostgreSQL allows 100 by default; more is one ``--api-processes N`` away.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .core.errors import ConfigurationError

DEFAULT_MAX_API_PROCESSES = 4


@dataclass(frozen=True)
class Layout:
    """What ``tongdui up`` runs: ``api_processes`` of them on one port and, when there are
    several, one more for the loops; with one, everything shares that process."""

    api_processes: int
    cores: int
    database: str  # "SQLite", "PostgreSQL" (or the URL's scheme)
    asked: int | None = None  # --api-processes / TONGDUI_API_PROCESSES, when given
    note: str = ""  # why the default was set aside (--cross-chain)

    @property
    def one_process(self) -> bool:
        return self.api_processes == 1

    def describe(self, port: int) -> str:
        """The line ``tongdui up`` prints after ``Layout``."""
        why = [self.database, _count(self.cores, "core")]
        if self.asked is not None:
            why.append(f"{self.asked} asked for")
        if self.note:
            why.append(self.note)
        reasons = "; ".join(why)
        if self.one_process:
            return f"1 process: API on port {port}, indexer + relayer as threads ({reasons})"
        return (
            f"{self.api_processes} API processes on port {port} (SO_REUSEPORT), "
            f"indexer + relayer + loops in 1 process ({reasons})"
        )


def choose_layout(
    cores: int, database_url: str, asked: int | None = None, *, cross_chain: bool = False
) -> Layout:
    """The layout for ``cores`` and the database; CONFIGURATION_ERROR when several API
    processes are asked for where they cannot share the data (SQLite, --cross-chain)."""
    database = database_kind(database_url)
    if asked is not None and asked < 1:
        raise ConfigurationError(f"--api-processes is at least 1, not {asked}")
    if asked is not None and asked > 1:
        if database != "PostgreSQL":
            raise ConfigurationError(
                f"{asked} API processes need a database they can share: set TONGDUI_DB_URL to "
                "a PostgreSQL database (postgresql+psycopg://user@host/dbname); "
                f"{database}, the default, is for one process (--api-processes 1)"
            )
        if cross_chain:
            raise ConfigurationError(
                "--cross-chain runs in one process (its API holds the bridge's handle): drop "
                "--api-processes / TONGDUI_API_PROCESSES, or set it to 1"
            )
        return Layout(asked, cores, database, asked)
    if asked == 1 or database != "PostgreSQL" or cores < 2:
        return Layout(1, cores, database, asked)
    if cross_chain:
        return Layout(1, cores, database, note="--cross-chain runs in one")
    return Layout(min(max(2, cores - 1), DEFAULT_MAX_API_PROCESSES), cores, database)


def database_kind(url: str) -> str:
    """ "SQLite" or "PostgreSQL" from a SQLAlchemy URL (another server: its scheme)."""
    scheme = url.split(":", 1)[0].split("+", 1)[0].lower()
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL", "postgres": "PostgreSQL"}.get(
        scheme, scheme
    )


def available_cores() -> int:
    """The cores this process may run on (its affinity: a container's or taskset's limit)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
