"""Answers to index reads kept until the index moves: ``/balances``, ``/history`` and the
statistics change only when the indexer commits a new checkpoint, so between two checkpoints
the same GET gets the same bytes.

An ASGI middleware in front of the routes: a hit skips routing, the database and JSON
encoding. The checkpoint is read at most twice per ``TONGDUI_READ_CACHE_SECONDS`` (0.25 s by
default; 0 turns this cache off), so an answer can lag the index by that much — and each
carries ``asOfBlock``.

When the checkpoint moves forward, the previous checkpoint's answers are still served while
each is made again in the background, once (stale-while-revalidate): otherwise every block
would send every reader to the database at the same moment, and the tail latency under a
moving chain was that refill (p99 440 ms at 500 req/s with 100 swaps/s settling). What an
answer promises: it is of the checkpoint read less than ``READ_CACHE_SECONDS`` ago, or — while
that checkpoint's answer is being made — of the one just before it, never older, and only if
that one was still seen current less than ``READ_CACHE_SECONDS`` before the move was noticed
(after a quiet spell the first read used to get the answer kept before it, however old; now it
waits for the new one) and the move was noticed less than ``BRIDGE_SECONDS`` ago (as chain
reads, ``query.block_reads``). Issue 19: the bridge used to close ``READ_CACHE_SECONDS`` after
the old checkpoint was last seen, shorter than a round of refreshes under a moving chain, and
every read after that made its own answer. Never across a reorg (a move to the same or a lower
block drops everything). Read-your-writes: a client that knows its write's
block passes ``minBlock`` and gets no kept answer older than that block (the wallet does,
after its order settles; the browser test of that flow failed when stale pages were served
without it). Only 200 answers are kept, at most ``MAX_ENTRIES``. Live reads
(``?source=chain``) and everything else pass through.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..query.block_reads import BRIDGE_SECONDS
from ..services import Services

CACHED_PATHS = re.compile(r"^/(balances/[^/]+|history/[^/]+|stats|merchants/[^/]+/stats)$")
MAX_ENTRIES = 20_000
# Background refreshes at once. Each holds a worker thread and a pooled DB connection; after a
# checkpoint move dozens start together, and unbounded they took every worker thread, so that
# quotes and merchant reads (sync routes, which need one) queued behind them: py-spy showed the
# refreshes waiting for the pool's connections and the slowest 1% of reads were those quotes.
REFRESHES_AT_ONCE = 4
MIN_BLOCK = re.compile(rb"(?:^|&)minBlock=([^&]*)")
DIGITS = re.compile(rb"[0-9]+")
CHECKPOINT = text("SELECT block_number, block_hash FROM index_checkpoint WHERE id = 1")
Version = tuple[int, str]  # the checkpoint's block and hash: a reorg to the same height moves it
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Entry:
    version: Version  # the checkpoint the answer was made at
    headers: list[tuple[bytes, bytes]]
    body: bytes
    route: Any  # the route that answered, for the metrics middleware's label


class ReadCache:
    """Everything here runs on the event loop's thread, so its state needs no lock."""

    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app = app
        self.services = services
        self.max_age = services.settings.read_cache_seconds
        self.clock = time.monotonic  # a test's own clock moves past a window without waiting
        self._version: Version | None = None
        self._previous: Version | None = None  # answers of it may be served while refreshed
        self._previous_at = float("-inf")  # when ``_previous`` was last seen as the checkpoint
        self._moved_at = float("-inf")  # when the move from ``_previous`` was noticed
        self._checked_at = float("-inf")
        self._entries: dict[bytes, Entry] = {}
        self._connection: Connection | None = None
        self._filling: dict[bytes, asyncio.Event] = {}  # answers being made now
        self._queued: set[bytes] = set()  # background refreshes waiting for a slot
        self._tasks: set[asyncio.Task[None]] = set()
        self._refresh_slots = asyncio.Semaphore(REFRESHES_AT_ONCE)

    def _checkpoint(self) -> Version | None:
        """The index's checkpoint, read at most once per ``max_age``."""
        now = self.clock()
        if now - self._checked_at < self.max_age / 2:
            return self._version
        # This runs on the event loop, so it has a connection of its own: waiting for one from
        # the shared pool could wait forever, since the routes holding them give them back only
        # when the event loop runs their teardown.
        if self._connection is None:
            self._connection = self.services.engine.connect()
        try:
            row = self._connection.execute(CHECKPOINT).first()
        finally:
            self._connection.rollback()  # no read transaction left open (it would pin the WAL)
        version = None if row is None else (int(row[0]), str(row[1]))
        if version != self._version:
            self._previous_at = self._checked_at  # the old one was last seen current then
            self._moved_at = now
            self._moved(self._version, version)
        self._version, self._checked_at = version, now
        return version

    def _moved(self, old: Version | None, new: Version | None) -> None:
        """Forward by a block or more: the old checkpoint's answers stay servable (stale) and
        older ones go. A reorg or a reset: nothing old may be served."""
        if old is not None and new is not None and new[0] > old[0]:
            self._previous = old
            self._entries = {k: e for k, e in self._entries.items() if e.version == old}
        else:
            self._previous = None
            self._entries.clear()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.max_age <= 0
            or scope["type"] != "http"
            or scope["method"] != "GET"
            or not CACHED_PATHS.match(scope["path"])
            or b"source=chain" in scope["query_string"]
        ):
            await self.app(scope, receive, send)
            return
        version = self._checkpoint()
        if version is None:  # nothing indexed yet: nothing worth keeping
            await self.app(scope, receive, send)
            return
        query: bytes = scope["query_string"]
        min_block = 0
        if b"minBlock=" in query:
            found = MIN_BLOCK.search(query)
            if found is None or not DIGITS.fullmatch(found.group(1)):
                await self.app(scope, receive, send)  # the route answers 422
                return
            min_block = int(found.group(1))
            query = MIN_BLOCK.sub(b"", query).lstrip(b"&")
        key = scope["path"].encode() + b"?" + query
        entry = self._entries.get(key)
        if entry is not None and entry.version == version:
            await self._answer(entry, scope, send)
            return
        if (
            entry is not None
            and entry.version == self._previous
            and entry.version[0] >= min_block
            and self._bridging()
        ):
            if key not in self._filling and key not in self._queued:
                self._refresh_in_background(scope, key, version)
            await self._answer(entry, scope, send)
            return
        # The same read being made now: wait for it rather than repeat it. A refresh still
        # queued for a slot is not waited for (issue 19: under a moving chain dozens queue at
        # each checkpoint, and callers past the stale window waited behind all of them, p99
        # 18 s at 500 req/s with 100 swaps/s settling): the caller makes it, the refresh then
        # finds it made and stands down.
        filling = self._filling.get(key)
        if filling is not None:
            await filling.wait()
            entry = self._entries.get(key)
            if entry is not None and entry.version == version:
                await self._answer(entry, scope, send)
            else:
                await self.app(scope, receive, send)
            return
        done = self._filling[key] = asyncio.Event()
        try:
            await self._fill(scope, receive, send, key, version)
        finally:
            del self._filling[key]
            done.set()

    def _bridging(self) -> bool:
        """Whether the previous checkpoint's answers may stand in (see the module): its move
        was watched (not a quiet spell) and noticed less than ``BRIDGE_SECONDS`` ago."""
        return (
            self._moved_at - self._previous_at < self.max_age
            and self.clock() - self._moved_at < BRIDGE_SECONDS
        )

    def _refresh_in_background(self, scope: Scope, key: bytes, version: Version) -> None:
        """Makes ``key``'s answer at ``version`` with nobody waiting on it; its callers
        meanwhile get the previous checkpoint's. Queued (``_queued``) until one of
        ``REFRESHES_AT_ONCE`` slots is free; only then is it a fill others may wait for."""
        self._queued.add(key)
        request = {**scope, "query_string": key.split(b"?", 1)[1]}

        async def receive() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def discard(message: Message) -> None:
            return None

        async def refresh() -> None:
            try:
                async with self._refresh_slots:
                    self._queued.discard(key)
                    entry = self._entries.get(key)
                    if (
                        version != self._version  # a newer checkpoint's caller makes it
                        or key in self._filling  # a caller is making it now
                        or (entry is not None and entry.version == version)  # made already
                    ):
                        return
                    done = self._filling[key] = asyncio.Event()
                    try:
                        await self._fill(request, receive, discard, key, version)
                    finally:
                        del self._filling[key]
                        done.set()
            except Exception:  # a failed refresh leaves the next caller to make it
                log.exception("background refresh of %s failed", key.decode(errors="replace"))
            finally:
                self._queued.discard(key)

        task = asyncio.get_running_loop().create_task(refresh())
        self._tasks.add(task)  # the loop keeps only a weak reference to a task
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _answer(entry: Entry, scope: Scope, send: Send) -> None:
        scope["route"] = entry.route
        await send({"type": "http.response.start", "status": 200, "headers": entry.headers})
        await send({"type": "http.response.body", "body": entry.body})

    async def _fill(
        self, scope: Scope, receive: Receive, send: Send, key: bytes, version: Version
    ) -> None:
        """Runs the route; a 200 answer is kept before its last byte is sent, so a caller that
        has it never meets the older answer afterwards."""
        status, headers, chunks = 0, [], []

        async def capture(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status, headers = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    self._keep(key, version, status, headers, b"".join(chunks), scope)
            await send(message)

        await self.app(scope, receive, capture)

    def _keep(
        self,
        key: bytes,
        version: Version,
        status: int,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        scope: Scope,
    ) -> None:
        if status != 200 or version != self._version:
            return  # an error, or the index moved while this was made: keep nothing
        if len(self._entries) >= MAX_ENTRIES:
            self._entries.clear()
        self._entries[key] = Entry(version, headers, body, scope.get("route"))
