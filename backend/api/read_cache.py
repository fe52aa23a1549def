"""Answers to index reads kept until the index moves: ``/balances``, ``/history`` and the
statistics change only when the indexer commits a new checkpoint, so between two checkpoints
the same GET gets the same bytes.

An ASGI middleware in front of the routes: a hit skips routing, the database and JSON
encoding. The checkpoint is read at most once per ``TONGDUI_READ_CACHE_SECONDS`` (0.25 s by
default; 0 turns this cache off), so an answer can lag the index by that much — and each
carries ``asOfBlock``. When the checkpoint (block and hash) moves, every kept answer is
dropped; a read is then made once, its other callers waiting for it rather than making it
again. Not stale-while-revalidate: a wallet that sees its order settled reads its history next
and must find the swap there (the browser test of that flow failed when the previous
checkpoint's page was served). Only 200 answers are kept, at most ``MAX_ENTRIES``. Live reads
(``?source=chain``) and everything else pass through.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..services import Services

CACHED_PATHS = re.compile(r"^/(balances/[^/]+|history/[^/]+|stats|merchants/[^/]+/stats)$")
MAX_ENTRIES = 20_000
CHECKPOINT = text("SELECT block_number, block_hash FROM index_checkpoint WHERE id = 1")
Version = tuple[int, str]  # the checkpoint's block and hash: a reorg to the same height moves it


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
        self._version: Version | None = None
        self._checked_at = float("-inf")
        self._entries: dict[bytes, Entry] = {}
        self._connection: Connection | None = None
        self._filling: dict[bytes, asyncio.Event] = {}

    def _checkpoint(self) -> Version | None:
        """The index's checkpoint, read at most once per ``max_age``."""
        now = time.monotonic()
        if now - self._checked_at < self.max_age:
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
            self._entries.clear()
        self._version, self._checked_at = version, now
        return version

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
        key = scope["path"].encode() + b"?" + scope["query_string"]
        entry = self._entries.get(key)
        if entry is not None and entry.version == version:
            await self._answer(entry, scope, send)
            return
        filling = self._filling.get(key)
        if filling is not None:  # the same read is being made: wait for it, do not repeat it
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

    @staticmethod
    async def _answer(entry: Entry, scope: Scope, send: Send) -> None:
        scope["route"] = entry.route
        await send({"type": "http.response.start", "status": 200, "headers": entry.headers})
        await send({"type": "http.response.body", "body": entry.body})

    async def _fill(
        self, scope: Scope, receive: Receive, send: Send, key: bytes, version: Version
    ) -> None:
        status, headers, chunks = 0, [], []

        async def capture(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status, headers = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        if status == 200:
            if version != self._version:
                return  # the index moved while this was made: keep nothing
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = Entry(version, headers, b"".join(chunks), scope.get("route"))
