"""The relayer loop: batch queued orders into ``settle`` transactions, relay gifts and
cancellations, and learn from receipts what became of each.

One pass (``run_once``) does, in order:
1. reconcile every in-flight transaction of the write-ahead log: mined → apply its receipt's
   ``Swapped``/``OrderRejected`` events; nonce taken by another transaction → its orders go
   back to the queue; still unknown to the node → rebroadcast the stored raw transaction;
2. relay queued gifts and cancellations (one transaction each);
3. while a batch is due (``batch_max_size`` orders queued, or the oldest waited
   ``batch_max_wait``) and the key pool's gas budget has room (the reserved gas of every
   key's unmined transactions within two blocks' gas limit, read from the head every few s:
   ``gas_budget``), claim up to that many orders, sign a ``settle`` with the key holding the
   least reserved gas, store it with its orders (one DB transaction) and only then broadcast
   it. So several settles from several keys are in flight, and land in one block, as far as
   the chain's blocks hold them.

Nothing waits for a receipt: receipts are polled on the next pass, so the relayer works the
same with instant mining and with a block period of seconds. An order is marked settled only
from its ``Swapped`` event, and only once its block is ``TONGDUI_CONFIRMATIONS`` deep (2 on the
Clique network, where a reorg can move a transaction to another block); the contract's nonce
bitmap makes a resubmitted order execute at most once, so putting orders back in the queue
after a lost transaction is always safe.

With several nodes (``TONGDUI_RPC_URL`` a list, see ``chain.nodes``) the node may change
between passes. Nothing here trusts the new node's view of the relayer's own past: nonces come
from the log and the local counters, and after a switch every in-flight transaction is
re-broadcast at once, the same signed bytes (the node that died may never have passed them
on). A pass during which the node changed drops nothing: "nonce used but no receipt" is only
believed when both answers came from one node.

This module is only the loop: the batches are ``batcher``, the gifts and cancellations
``request_relay``, the receipts ``reconcile``, the write-ahead log and broadcast ``tx_log``.
"""

from __future__ import annotations

import logging
import threading

from ..services import Services
from ..vouchers.batcher import PurchaseBatcher
from ..vouchers.book import has_book
from .batcher import GAS_BASE, GAS_PER_ORDER, Batcher, decode_message, order_tuple
from .chain_facts import CHAIN_DOWN
from .keys import KeyPool
from .reconcile import MAX_ATTEMPTS, REBROADCAST_AFTER, PassReport, Reconciler
from .request_relay import RequestRelay
from .tx_log import Broadcaster

__all__ = [
    "GAS_BASE",
    "GAS_PER_ORDER",
    "MAX_ATTEMPTS",
    "REBROADCAST_AFTER",
    "PassReport",
    "Relayer",
    "decode_message",
    "order_tuple",
]

log = logging.getLogger("tongdui.relayer")


class Relayer:
    """Entry point for ``tongdui up`` / ``tongdui relay``: ``Relayer(services).run(stop)``."""

    def __init__(self, services: Services, keys: list[str] | None = None) -> None:
        self.services = services
        self.settings = services.settings
        self.w3 = services.w3
        self.exchange = services.platform.exchange
        self.pool = KeyPool(
            self.w3, keys or self.settings.relayer_private_keys(), services.sessions
        )
        self.sender = Broadcaster(services, self.w3, self.pool)
        self.batcher = Batcher(services, self.pool)
        self.requests = RequestRelay(services, self.pool, self.broadcast)
        self.reconciler = Reconciler(services, self.broadcast)
        # issue 16: purchases batched into VoucherBook's purchaseBatch with the same keys
        self.purchases = (
            PurchaseBatcher(services, self.pool) if has_book(services.platform) else None
        )

    # ── the loop ────────────────────────────────────────────────────────────────────────────

    def run(self, stop: threading.Event) -> None:
        """Passes until ``stop`` is set; backs off (up to 30 s) while the node is down."""
        interval = min(self.settings.poll_interval, self.settings.batch_max_wait)
        backoff = 0.0
        while not stop.is_set():
            try:
                self.run_once()
                backoff = 0.0
            except CHAIN_DOWN as error:
                backoff = min(max(backoff * 2, 0.5), 30.0)
                log.warning(
                    "node unreachable (%s); retrying in %.1f s", type(error).__name__, backoff
                )
            except Exception:
                backoff = min(max(backoff * 2, 0.5), 30.0)
                log.exception("relayer pass failed; retrying in %.1f s", backoff)
            stop.wait(backoff or interval)

    def run_once(self) -> PassReport:
        """One pass: reconcile, relay requests, submit due batches."""
        if not self.pool.synced:
            self.pool.sync()
        else:
            self.pool.refresh_gas_limit()
        report = PassReport()
        self.reconcile(report)
        report.requests = self.submit_requests()
        while self.batch_due():
            tx_id = self.prepare_batch()
            if tx_id is None:
                break
            report.batches.append(tx_id)
            self.broadcast(tx_id)
        while self.purchases is not None and self.purchases.batch_due():
            tx_id = self.purchases.prepare_batch()
            if tx_id is None:
                break
            report.batches.append(tx_id)
            self.broadcast(tx_id)
        return report

    # ── the steps, one component each ───────────────────────────────────────────────────────

    def batch_due(self) -> bool:
        return self.batcher.batch_due()

    def prepare_batch(self) -> int | None:
        return self.batcher.prepare_batch()

    def broadcast(self, tx_id: int) -> bool:
        return self.sender.broadcast(tx_id)

    def submit_requests(self, limit: int = 20) -> int:
        return self.requests.submit_requests(limit)

    def reconcile(self, report: PassReport | None = None) -> None:
        self.reconciler.reconcile(report)
