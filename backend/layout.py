"""How many processes ``tongdui up`` runs and what each one runs (issue 19): a pure choice
from the cores, the database and what was asked, so that it can be tested without starting any.

**One process** (the layout before issue 19): uvicorn in the main thread, the indexer, webhook,
relayer, payments and bulk loops as threads beside it (``runner.run_components``). It is the
only layout on SQLite, which takes one writer at a time from one file and is meant for one
process, and it is what ``tongdui up --demo`` runs by default.

**Several processes** (PostgreSQL only): N API processes on one port, each listening on its own
socket with ``SO_REUSEPORT`` (``process_child.reuse_port_socket`` says why), a **relayer
process** (the relayer, the payments sweeper and the bulk issuance worker: the loops that sign
and send transactions) and an **indexer process** (the indexer and the webhook outbox and
deliveries, which read what it indexed). Intake is transactional in the database
(``relayer.serial`` serialises an owner's orders with an advisory lock on PostgreSQL), so any
API process may take any order. The loops first shared one process, on the argument that they
mostly wait for the node and the database; measured, they do not: with bulk intake the one
loops process sat at 67–81 % of a core while the API processes idled and held the whole
instance to ~250 orders/s (docs/benchmarks.md, "End to end by layout (2026-12-03)"), since the
indexer's decoding and projection and the relayer's batches and receipts are Python under one
GIL. Split in two, each runs on a GIL of its own. They share nothing in memory: what one
loop needs of another it reads from the database (the outbox reads the indexer's events and
the relayer's refused orders; the payments sweeper queues requests for the relayer to send;
the relayer settles its orders from their receipts, not from the index), which is also how
``tongdui index`` and ``tongdui relay`` run them as commands of their own. The split follows
the keys: the loops that sign (the relayer with its key pool, the bulk worker with the
merchants' operator keys) are in one process, so a key's local nonce is never kept by two loop
processes. Why not a process per loop: the payments and bulk loops are idle in a swap's path,
and each process costs its memory and a connection pool.

**The default** for C cores: one process on one core (several processes would only take turns
on it); otherwise ``max(2, C - 1)`` API processes, at most ``DEFAULT_MAX_API_PROCESSES``. A
core is left to the chain, PostgreSQL and the two loop processes where there are cores to spare;
on two cores two API processes still run, as measured: 174 orders/s of single POSTs against 64
with one, in one run (docs/benchmarks.md, "End to end by layout (2026-12-03)"). At most
four unasked: each process's pool may hold 15 PostgreSQL connections (SQLAlchemy's 5 + 10
overflow), four API processes and the two loop processes 90 of the 100 PostgreSQL allows by
default; more is one ``--api-processes N`` away (and ``max_connections`` with it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

from .core.errors import ConfigurationError

DEFAULT_MAX_API_PROCESSES = 4
# the processes a several-process layout runs beside its API processes, by their role
# (``process_child``): what each runs is in the module docstring
LoopRole = Literal["relayer", "indexer"]
LOOP_PROCESSES: tuple[LoopRole, ...] = ("relayer", "indexer")


@dataclass(frozen=True)
class Layout:
    """What ``tongdui up`` runs: ``api_processes`` of them on one port and, when there are
    several, the ``LOOP_PROCESSES`` beside them; with one, everything shares that process."""

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
        loops = ", ".join(f"1 {role} process" for role in LOOP_PROCESSES)
        return (
            f"{self.api_processes} API processes on port {port} (SO_REUSEPORT), {loops} ({reasons})"
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
