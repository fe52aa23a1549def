"""Intake's writes: serialized per owner across threads and processes, committed in groups.

Why serialized: intake reads an owner's pending amounts, checks the new order against them
and inserts it; two orders of one owner checked at once would each miss the other. Several API
processes may serve one database, so a ``threading.Lock`` alone is not enough:
- SQLite: ``BEGIN IMMEDIATE`` takes the database's write lock before pending amounts are read;
- PostgreSQL: ``pg_advisory_xact_lock`` per owner (in sorted order: no deadlock), released at
  commit.

Why in groups: under load the GIL, not the database, made the cost. Every SQLite call releases
the GIL, and with dozens of request threads busy the writer waited up to a switch interval
(5 ms) to get it back, several times per order, all while holding the write lock: ~10 ms per
order, so intake was capped near 100 orders/s. ``GroupCommit`` lets whichever request thread
holds the writer lock store every order queued meanwhile in one transaction with a handful of
statements (leader/follower group commit, no extra thread): the cost per order falls with load.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")
R = TypeVar("R")


def owner_key(owner: str) -> int:
    """A signed 64-bit advisory-lock key from an address (its first eight bytes)."""
    return int.from_bytes(bytes.fromhex(owner[2:18]), "big", signed=True)


@contextmanager
def owners_transaction(sessions: sessionmaker[Session], owners: Sequence[str]) -> Iterator[Session]:
    """A transaction in which no other intake of any of ``owners`` runs; commits on success."""
    with sessions() as session:
        dialect = session.get_bind().dialect.name
        try:
            if dialect == "sqlite":
                session.execute(text("BEGIN IMMEDIATE"))
            elif dialect == "postgresql":
                for key in sorted({owner_key(owner) for owner in owners}):
                    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@dataclass(eq=False)
class _Slot(Generic[T]):
    item: T
    done: bool = False
    result: Any = None
    error: BaseException | None = None


@dataclass(eq=False)
class GroupCommit(Generic[T, R]):
    """Runs ``process`` over every item queued while the previous group was being written.

    ``process(items)`` returns one result or exception per item, in order; ``submit`` returns
    its item's result or raises its exception. An exception of ``process`` itself fails the
    whole group (nothing of it was committed).
    """

    process: Callable[[list[T]], list[R | BaseException]]
    _queue: list[_Slot[T]] = field(default_factory=list)
    _queue_lock: threading.Lock = field(default_factory=threading.Lock)
    _writer: threading.Lock = field(default_factory=threading.Lock)

    def submit(self, item: T) -> R:
        slot = _Slot(item)
        with self._queue_lock:
            self._queue.append(slot)
        with self._writer:
            if not slot.done:  # nobody took it: lead a group, ours among them
                with self._queue_lock:
                    group, self._queue = self._queue, []
                self._run(group)
        if slot.error is not None:
            raise slot.error
        result: R = slot.result
        return result

    def _run(self, group: list[_Slot[T]]) -> None:
        try:
            outcomes = self.process([slot.item for slot in group])
        except BaseException as error:
            outcomes = [error] * len(group)
        for slot, outcome in zip(group, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                slot.error = outcome
            else:
                slot.result = outcome
            slot.done = True


_GROUPS: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
_GROUPS_LOCK = threading.Lock()


def group_for(owner: Any, make: Callable[[], GroupCommit[T, R]]) -> GroupCommit[T, R]:
    """The one ``GroupCommit`` of ``owner`` (e.g. a session factory), made on first use."""
    with _GROUPS_LOCK:
        group = _GROUPS.get(owner)
        if group is None:
            group = _GROUPS[owner] = make()
        return group
