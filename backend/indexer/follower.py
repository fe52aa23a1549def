"""The log follower: chain → ``events`` and derived state, chunk by chunk.

One poll (``run_once``): check the checkpoint's block hash against the node (one header: by
the hash chain, an unchanged checkpoint block means nothing below it changed either); on a
mismatch find the common ancestor among the stored recent hashes, undo everything above it;
then index from the checkpoint up to ``head − confirmations`` in chunks of
``log_chunk_size`` blocks. Each chunk is fetched, checked to hang on the checkpoint's hash and
written in one transaction with its checkpoint, so a kill at any moment loses or doubles
nothing. Only standard JSON-RPC is used, so a PoA chain with a block period works as anvil does.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from ..chain.logs import checksum, event_specs, topic_of
from ..core.chunks import FIRST_CHUNK_BLOCKS, next_chunk_size
from ..core.db import transaction
from ..core.error_codes import ErrorCode
from ..core.errors import ChainUnavailableError, TongduiError
from ..services import Services
from . import store
from .models import IndexedBlock
from .source import Header, LogSource

log = logging.getLogger("tongdui.indexer")

MERCHANT_ADMITTED = topic_of("MerchantAdmitted")


class ChainMovedError(TongduiError, RuntimeError):
    """The chain changed under a chunk being fetched (a reorg); the next poll resolves it."""

    code = ErrorCode.CHAIN_MOVED


@dataclass(frozen=True)
class IndexerStatus:
    indexed_block: int | None  # the checkpoint
    head: int
    safe_head: int  # head − confirmations: what the indexer may index

    @property
    def lag(self) -> int:
        return max(0, self.safe_head - (self.indexed_block or 0))


class Indexer:
    """Follows the platform's contracts into the database; see the module docstring."""

    def __init__(self, services: Services, *, progress: bool | None = None) -> None:
        self.services = services
        self.settings = services.settings
        self.source = LogSource(services.w3)
        deployment = services.deployment
        self.platform_addresses = [checksum(a) for a in deployment.addresses.values()]
        self.registry = checksum(deployment.address("MerchantRegistry"))
        self.first_block = deployment.deployment_block
        self.progress = progress
        self.specs = event_specs()
        with services.sessions() as session:
            self.tokens = store.merchant_tokens(session)

    # ─── entry points ────────────────────────────────────────────────────────────────────

    def run_once(self, stop: threading.Event | None = None) -> int:
        """One poll: reorg check, then catch up to the safe head. Returns events indexed."""
        head = self.source.head()
        safe_head = head - self.settings.confirmations
        with self.services.sessions() as session:
            current = store.checkpoint(session)
            position = (current.block_number, current.block_hash) if current else None
        if position is not None:
            position = self._resolve_reorg(position)
        start = position[0] + 1 if position else self.first_block
        if safe_head < start:
            return 0
        parent = position[1] if position else None
        return self._index_range(start, safe_head, parent, stop)

    def backfill(self, progress: bool | None = None, stop: threading.Event | None = None) -> int:
        """Catches up to the safe head, with a progress bar when asked (default: on a TTY)."""
        previous, self.progress = self.progress, progress
        try:
            return self.run_once(stop)
        finally:
            self.progress = previous

    def run(self, stop: threading.Event) -> None:
        """Polls until ``stop`` is set. Node outages, a chain that moved mid-chunk and database
        hiccups (a locked SQLite file, a dropped connection) are logged and retried with
        backoff: the failed chunk's transaction was rolled back, so a retry is exact."""
        backoff = self.settings.poll_interval
        while not stop.is_set():
            try:
                indexed = self.run_once(stop)
                backoff = self.settings.poll_interval
                if indexed == 0:
                    stop.wait(self.settings.poll_interval)
            except (ChainUnavailableError, ChainMovedError, OperationalError) as error:
                log.warning("indexer: %s; retrying in %.1fs", error, backoff)
                stop.wait(backoff)
                backoff = min(backoff * 2, 30.0)

    def status(self) -> IndexerStatus:
        head = self.source.head()
        with self.services.sessions() as session:
            current = store.checkpoint(session)
        return IndexerStatus(
            current.block_number if current else None,
            head,
            head - self.settings.confirmations,
        )

    # ─── reorgs ──────────────────────────────────────────────────────────────────────────

    def _resolve_reorg(self, position: tuple[int, str]) -> tuple[int, str] | None:
        """Returns the checkpoint to continue from: unchanged, or a reorg's common ancestor."""
        number, block_hash = position
        header = self.source.headers([number]).get(number)
        if header is not None and header.hash == block_hash:
            return position
        with self.services.sessions() as session:
            stored = session.execute(
                select(IndexedBlock.block_number, IndexedBlock.block_hash).order_by(
                    IndexedBlock.block_number.desc()
                )
            ).all()
        on_chain = self.source.headers([n for n, _ in stored])
        ancestor = next(
            ((n, h) for n, h in stored if n in on_chain and on_chain[n].hash == h), None
        )
        if ancestor is None:  # deeper than the window: the index is rebuilt from the start
            log.warning("reorg deeper than the stored %d block hashes; re-indexing", len(stored))
            base = self.first_block - 1
            base_header = self.source.headers([base]).get(base)
            ancestor = (base, base_header.hash if base_header else "0x")
        with transaction(self.services.sessions) as session:
            removed = store.rollback_to(session, *ancestor)
            self.tokens = store.merchant_tokens(session)
        log.warning(
            "reorg: block %d changed; rolled back to common ancestor %d (%d events undone)",
            number,
            ancestor[0],
            removed,
        )
        return ancestor if ancestor[0] >= self.first_block else None

    # ─── indexing ────────────────────────────────────────────────────────────────────────

    def _index_range(
        self, start: int, end: int, parent: str | None, stop: threading.Event | None
    ) -> int:
        """Blocks ``start..end`` in chunks sized by what they hold: up to
        ``log_chunk_size`` blocks, fewer where blocks are dense (see ``next_chunk_size``)."""
        size = min(self.settings.log_chunk_size, FIRST_CHUNK_BLOCKS)
        indexed = 0
        chunk_start = start
        with self._progress_bar(end - start + 1) as advance:
            while chunk_start <= end:
                if stop is not None and stop.is_set():
                    break
                chunk_end = min(chunk_start + size - 1, end)
                count, parent = self._index_chunk(chunk_start, chunk_end, parent)
                indexed += count
                advance(chunk_end - chunk_start + 1, count)
                size = next_chunk_size(size, count, self.settings.log_chunk_size)
                chunk_start = chunk_end + 1
        return indexed

    def _fetch_logs(self, start: int, end: int) -> list[dict[str, Any]]:
        """Logs of every platform contract and points token, including tokens admitted inside
        this chunk (from their admission block on), in (block, log index) order."""
        logs = self.source.logs(self.platform_addresses + self.tokens, start, end)
        known = set(self.tokens)
        admitted: dict[str, int] = {}
        for entry in logs:
            topics = entry["topics"]
            if (
                topics
                and topics[0] == MERCHANT_ADMITTED
                and checksum(entry["address"]) == self.registry
            ):
                token = checksum("0x" + topics[2][-40:])
                if token not in known:
                    admitted.setdefault(token, int(entry["blockNumber"], 16))
        if admitted:
            logs += self.source.logs(list(admitted), min(admitted.values()), end)
            unique = {(int(e["blockNumber"], 16), int(e["logIndex"], 16)): e for e in logs}
            return [unique[key] for key in sorted(unique)]
        return logs

    def _index_chunk(self, start: int, end: int, parent: str | None) -> tuple[int, str]:
        logs = self._fetch_logs(start, end)
        numbers = sorted({start, end, *(int(e["blockNumber"], 16) for e in logs)})
        headers = self.source.headers(numbers)
        self._check_consistent(start, end, parent, headers, logs)
        events = [self._decode(entry, headers) for entry in logs]
        with transaction(self.services.sessions) as session:
            new_tokens = store.commit_chunk(
                session,
                events,
                {n: headers[n].hash for n in numbers},
                end,
                self.settings.reorg_window,
            )
        self.tokens.extend(t for t in new_tokens if t not in self.tokens)
        log.debug("indexed blocks %d..%d: %d events", start, end, len(events))
        return len(events), headers[end].hash

    @staticmethod
    def _check_consistent(
        start: int,
        end: int,
        parent: str | None,
        headers: dict[int, Header],
        logs: list[dict[str, Any]],
    ) -> None:
        if end not in headers or start not in headers:
            raise ChainMovedError(f"blocks {start}..{end} are no longer on the node's chain")
        if parent is not None and headers[start].parent_hash != parent:
            raise ChainMovedError(f"block {start} no longer follows the indexed block {start - 1}")
        for entry in logs:
            if headers[int(entry["blockNumber"], 16)].hash != entry["blockHash"]:
                raise ChainMovedError(f"block {int(entry['blockNumber'], 16)} changed mid-fetch")

    def _decode(self, entry: dict[str, Any], headers: dict[int, Header]) -> dict[str, Any]:
        topics: list[str] = entry["topics"]
        spec = self.specs.get(topics[0]) if topics else None
        if spec is None:  # not in our ABIs: kept raw, so the log is still complete
            name, args = "Unknown", {"topics": topics, "data": entry["data"]}
        else:
            name, args = spec.name, spec.decode(topics, entry["data"])
        number = int(entry["blockNumber"], 16)
        return {
            "block_number": number,
            "log_index": int(entry["logIndex"], 16),
            "block_hash": entry["blockHash"],
            "block_timestamp": headers[number].timestamp,
            "tx_hash": entry["transactionHash"],
            "tx_index": int(entry["transactionIndex"], 16),
            "contract": checksum(entry["address"]),
            "event": name,
            "args": args,
        }

    @contextmanager
    def _progress_bar(self, blocks: int) -> Iterator[Any]:
        show = self.progress if self.progress is not None else False
        if self.progress is None and blocks > 10 * self.settings.log_chunk_size:
            show = sys.stderr.isatty()
        if not show:
            yield lambda _blocks, _events: None
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        columns = (
            TextColumn("indexing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("blocks · {task.fields[events]} events"),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=Console(stderr=True)) as bar:
            task = bar.add_task("index", total=blocks, events=0)
            seen = 0

            def advance(block_count: int, event_count: int) -> None:
                nonlocal seen
                seen += event_count
                bar.update(task, advance=block_count, events=seen)

            yield advance
