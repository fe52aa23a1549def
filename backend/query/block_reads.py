"""Public chain reads memoised per block: what a thousand wallets asking for a quote cost.

A block's state never changes, so a read at block N can be answered again from memory for as
long as N is the head; after that, until the read at the new head is back (made once, in the
background). Every answer names its block. What a read promises (``TONGDUI_READ_CACHE_SECONDS``
is ``max_age``, 0.25 s by default):

- the head it is judged against was said by the node less than ``max_age`` ago: the head is
  asked every ``max_age / 2`` seconds while reads come, and after a quiet spell the first read
  waits for the node rather than answer from the block it knew (it answered ``/quote`` from
  block 243 with the head at 751, eight minutes later);
- the answer is that head's, or, while that head's answer is being made, the previous head's —
  one block behind, never more, and only if (a) the node still said the previous head less
  than ``max_age`` before the move was noticed (the move happened while reads were watching,
  not during a quiet spell) and (b) the move was noticed less than ``BRIDGE_SECONDS`` ago (a
  refresh that keeps failing does not stretch the bridge). Issue 19: the bridge used to close
  ``max_age`` after the previous head was last seen, which on a busy node is shorter than one
  refresh; every read after that went to the node itself, and reads at 500 req/s with 100
  swaps/s settling had p99 18–20 s;
- one read per key and block goes to the node at a time: callers that find a key's read at
  their block already under way wait for it rather than repeat it (they did, and each quote is
  seven ``eth_call``s);
- ``min_block``: no answer older than that block (read your own writes); if the node's head
  is still below it, the answer is the head's and says so.

Merchant routes that have just written, and the relayer, read live.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import anyio.to_thread
from web3 import Web3

T = TypeVar("T")
MAX_ENTRIES = 10_000  # distinct reads kept for the current block; beyond that, start over
# How long after a move is noticed the previous head's answers may still bridge the new ones'
# refresh: a few refreshes' worth on a busy node, far under a block period of the consortium's
# chains times the blocks it would take to notice (one).
BRIDGE_SECONDS = 2.0


class BlockReads:
    """``get(key, read)`` runs ``read(head)`` once per (head block, key); thread-safe."""

    def __init__(
        self, w3: Web3, max_age: float = 0.25, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.w3 = w3
        self.max_age = max_age
        self.clock = clock  # a test's own clock moves past a window without waiting for it
        self.check_every = max_age / 2  # so that the previous head is still within max_age
        self._lock = threading.Lock()
        self._head = -1
        self._head_at = float("-inf")  # when the node last said the head is ``_head``
        self._previous = -1  # the head before ``_head``
        self._previous_at = float("-inf")  # when the node last said the head is ``_previous``
        self._moved_at = float("-inf")  # when the move from ``_previous`` to ``_head`` was seen
        self._refreshing = False
        self._refreshed = threading.Condition(self._lock)
        self._memo: dict[Hashable, tuple[int, Any]] = {}  # key → (block, answer)
        self._reading: set[Hashable] = set()  # keys queued or read again in the background
        # (key, block) → set when that read, now running, is done: the single flight
        self._running: dict[tuple[Hashable, int], threading.Event] = {}
        self._pool = ThreadPoolExecutor(2, thread_name_prefix="block-reads")
        # The head is asked on a thread of its own: queued behind a block's worth of key
        # refreshes (a quote is seven eth_calls) it came back late, the head aged past max_age
        # and every read waited for it (issue 19, py-spy: most worker threads in ``head``).
        self._head_pool = ThreadPoolExecutor(1, thread_name_prefix="block-reads-head")

    def head(self, min_block: int = 0) -> int:
        """The latest block number, asked of the node at most once per ``check_every``.

        One caller asks; callers arriving meanwhile keep using the previous head if it was
        confirmed less than ``max_age`` ago, else wait for that one answer (40 threads calling
        the node together stalled answers by ~1 s). A head below ``min_block`` is asked again
        at once."""
        with self._lock:
            while True:
                now = self.clock()
                age = now - self._head_at
                if self._head >= min_block and (
                    age < self.check_every or (self._refreshing and age < self.max_age)
                ):
                    return self._head
                if not self._refreshing:
                    self._refreshing = True
                    break
                self._refreshed.wait(self.max_age or 0.05)
        return self._refresh_head(now)

    def _refresh_head(self, now: float) -> int:
        """Asks the node; the caller has set ``_refreshing``, so no one else asks meanwhile."""
        try:
            number = int(self.w3.eth.block_number)  # outside the lock: a slow node blocks no one
        except BaseException:
            with self._lock:
                self._refreshing = False
                self._refreshed.notify_all()
            raise
        with self._lock:
            if number != self._head:
                self._previous, self._previous_at = self._head, self._head_at
                self._moved_at = now
            if now > self._head_at or number != self._head:
                self._head, self._head_at = number, now
            self._refreshing = False
            self._refreshed.notify_all()
        return number

    def get(self, key: Hashable, read: Callable[[int], T], min_block: int = 0) -> tuple[int, T]:
        """(block, ``read(block)``). From memory when this block's answer is known; when only
        the previous head's is (and the bridge holds, see the module), that one, while the new
        one is read in the background (stale-while-revalidate: after every block the node is
        busy and each read waited for it — p90 of all reads 197 ms with 100 swaps/s settling).
        Anything else is read now, once: a caller that finds the same read under way waits for
        it. Errors are not kept: the next call reads again."""
        block = self.head(min_block)
        while True:
            known = self._from_memo(key, read, block, min_block)
            if known is not None:
                return known
            with self._lock:
                running = self._running.get((key, block))
                if running is None:
                    self._running[(key, block)] = threading.Event()
                    break
            running.wait()  # the same read is under way: its answer (or its error) is ours
        return self._read_into_memo(key, read, block, flight=True)

    async def answer(
        self, key: Hashable, read: Callable[[int], T], min_block: int = 0
    ) -> tuple[int, T]:
        """``get`` for async routes: from memory on the event loop (``kept``), on a worker
        thread only when nothing servable is kept — a first read, one that failed, one after a
        quiet spell, or one asking for a block not kept yet."""
        known = self.kept(key, read, min_block)
        if known is None:
            known = await anyio.to_thread.run_sync(self.get, key, read, min_block)
        return known

    def kept(
        self, key: Hashable, read: Callable[[int], T], min_block: int = 0
    ) -> tuple[int, T] | None:
        """``get`` without ever waiting on the node, for the event loop: the kept answer (this
        block's, or the previous head's while the new one is read in the background), or None
        when none may be served. A head older than ``check_every`` (or below ``min_block``) is
        asked for in the background; one older than ``max_age`` is not answered from at all.
        Routes that answer from here skip two thread hops; under load the worker threads were
        the queue that made the slowest quotes."""
        now = self.clock()
        with self._lock:
            block, age = self._head, now - self._head_at
            if block < 0:
                return None
            if (age >= self.check_every or block < min_block) and not self._refreshing:
                self._refreshing = True
                self._head_pool.submit(self._refresh_head, now)
            if block < min_block or age >= self.max_age:
                return None
        return self._from_memo(key, read, block, min_block)

    def _from_memo(
        self, key: Hashable, read: Callable[[int], T], block: int, min_block: int = 0
    ) -> tuple[int, T] | None:
        """The answer kept for ``key`` that may be served at head ``block``: ``block``'s, or
        the previous head's while the bridge holds (``_bridging``; then ``block``'s is read in
        the background, once per key); None when there is none."""
        with self._lock:
            known: tuple[int, T] | None = self._memo.get(key)
            if known is None or known[0] < min_block:
                return None
            if known[0] == block:
                return known
            if known[0] != self._previous or not self._bridging(block):
                return None  # older than documented: the caller reads now
            if key in self._reading or (key, block) in self._running:
                return known  # already being made: the bridge holds meanwhile
            self._reading.add(key)
        self._pool.submit(self._refresh, key, read, block)
        return known

    def _bridging(self, block: int) -> bool:
        """Whether the previous head's answers may stand in for ``block``'s (see the module):
        the move to it was forward (a reorg or a node switched to one behind serves nothing
        old), watched, and noticed less than ``BRIDGE_SECONDS`` ago. Under the lock."""
        return (
            block == self._head
            and self._previous < block
            and self._moved_at - self._previous_at < self.max_age
            and self.clock() - self._moved_at < BRIDGE_SECONDS
        )

    def _refresh(self, key: Hashable, read: Callable[[int], T], block: int) -> None:
        """The background read of ``key`` at ``block``; stands down if a caller has made it
        or is making it (it was queued behind others meanwhile)."""
        with self._lock:
            self._reading.discard(key)
            known = self._memo.get(key)
            if (known is not None and known[0] == block) or (key, block) in self._running:
                return
            self._running[(key, block)] = threading.Event()
        with contextlib.suppress(Exception):  # not kept: the next caller reads again
            self._read_into_memo(key, read, block, flight=True)

    def _read_into_memo(
        self, key: Hashable, read: Callable[[int], T], block: int, flight: bool = False
    ) -> tuple[int, T]:
        """``read(block)`` kept for ``key``. ``flight``: the caller registered ``(key, block)``
        in ``_running``; it is released (and its waiters woken) however the read ends."""
        try:
            value = read(block)
            with self._lock:
                if len(self._memo) >= MAX_ENTRIES:
                    self._memo.clear()
                current = self._memo.get(key)
                # a kept answer above the head is of abandoned blocks (a reorg or a reset)
                if current is None or current[0] <= block or current[0] > self._head:
                    self._memo[key] = (block, value)
        finally:
            if flight:
                with self._lock:
                    done = self._running.pop((key, block), None)
                if done is not None:
                    done.set()
        return block, value
