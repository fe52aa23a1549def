"""Learning from receipts what became of each in-flight transaction of the write-ahead log.

Mined (and ``TONGDUI_CONFIRMATIONS`` deep) → apply its receipt's ``Swapped``/``OrderRejected``
events; nonce taken by another transaction → its orders and requests go back to the queue;
still unknown to the node → rebroadcast the stored raw transaction. "Nonce used but no
receipt" is only believed when both answers came from one node (see ``chain.nodes``).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hexbytes import HexBytes
from sqlalchemy import select, update
from web3.exceptions import TransactionNotFound

from ..chain.errors import code_for_selector, decode_error
from ..chain.nodes import nodes_of
from ..core.db import transaction
from ..core.error_codes import ErrorCode
from ..services import Services
from ..vouchers.book import has_book
from ..vouchers.receipts import PurchaseEvents, apply_receipt, requeue_dropped
from ..vouchers.state import announce_pending
from .cancelled_nonces import explain_rejections
from .models import (
    RECEIVED,
    REJECTED,
    REQ_DONE,
    REQ_FAILED,
    REQ_RECEIVED,
    REQ_SUBMITTED,
    SETTLED,
    SUBMITTED,
    TX_DROPPED,
    TX_IN_FLIGHT,
    TX_MINED,
    TX_REVERTED,
    TX_SIGNED,
    RelayerOrder,
    RelayerRequest,
    RelayerTransaction,
)
from .receipts import ExchangeEvents, Receipt, get_receipt
from .signed_requests import void_cancelled_orders, void_orders_under_counter

log = logging.getLogger("tongdui.relayer")

MAX_ATTEMPTS = 3  # whole-transaction failures (revert, out of gas) before an order gives up
REBROADCAST_AFTER = 10.0  # seconds a sent transaction may be unknown to the node


@dataclass
class PassReport:
    """What one ``run_once`` did (for logs and tests)."""

    mined: int = 0
    dropped: int = 0
    rebroadcast: int = 0
    batches: list[int] = field(default_factory=list)  # transaction ids
    requests: int = 0


class Reconciler:
    """Reconciles the in-flight transactions with the node (see the module docstring)."""

    def __init__(self, services: Services, broadcast: Callable[[int], bool]) -> None:
        self.services = services
        self.w3 = services.w3
        self.events = ExchangeEvents(services.platform.exchange)
        # issue 16: VoucherBook's purchases ride the same log (None before its deployment)
        self.purchases = PurchaseEvents(services) if has_book(services.platform) else None
        self.broadcast = broadcast
        self.nodes = nodes_of(self.w3)
        self._seen_generation = self.nodes.generation if self.nodes else 0

    def reconcile(self, report: PassReport | None = None) -> None:
        """Learns the fate of every in-flight transaction (see the module docstring)."""
        report = report or PassReport()
        with self.services.sessions() as session:
            in_flight = session.execute(
                select(
                    RelayerTransaction.id,
                    RelayerTransaction.tx_hash,
                    RelayerTransaction.sender,
                    RelayerTransaction.nonce,
                    RelayerTransaction.state,
                    RelayerTransaction.sent_at,
                    RelayerTransaction.block_number,
                )
                .where(RelayerTransaction.state.in_(TX_IN_FLIGHT))
                .order_by(RelayerTransaction.id)
            ).all()
        mined_nonce: dict[str, int] = {}
        switched = self._node_switched()
        generation = self._generation()
        final_block = self._final_block() if in_flight else 0
        for tx_id, tx_hash, sender, nonce, state, sent_at, seen_in in in_flight:
            receipt = self._receipt(tx_hash)
            if receipt is not None and receipt.block_number > final_block:
                # Mined, but not yet TONGDUI_CONFIRMATIONS deep: a Clique reorg may still undo
                # it (geth then puts the transaction back in its pool, and it is mined again,
                # perhaps in another block). Wait, as the indexer does, before calling it final;
                # but the key pool's gas budget stops counting it now (it fills no future block).
                if seen_in != receipt.block_number:
                    self._seen_in(tx_id, receipt.block_number)
                continue
            if receipt is None and seen_in is not None:
                self._seen_in(tx_id, None)  # a reorg took it out of its block: in flight again
            if receipt is None:
                if sender not in mined_nonce:
                    mined_nonce[sender] = self.w3.eth.get_transaction_count(sender, "latest")
                if mined_nonce[sender] > nonce:
                    # Its nonce is used. Ask again: it may have been mined just now.
                    receipt = self._receipt(tx_hash)
                    if receipt is None and self._generation() == generation:
                        self._drop(tx_id)
                        report.dropped += 1
                        continue
            if receipt is not None:
                self._apply(tx_id, receipt)
                report.mined += 1
            elif self._needs_broadcast(state, sent_at, tx_hash, switched) and self.broadcast(tx_id):
                report.rebroadcast += 1

    def _final_block(self) -> int:
        """The newest block whose receipts are final: head − confirmations (no limit at 0)."""
        confirmations = self.services.settings.confirmations
        if confirmations == 0:
            return 2**63
        return int(self.w3.eth.block_number) - confirmations

    def _generation(self) -> int:
        return self.nodes.generation if self.nodes else 0

    def _node_switched(self) -> bool:
        """True once after each change of node (the new one may not have our transactions)."""
        generation = self._generation()
        switched, self._seen_generation = generation != self._seen_generation, generation
        return switched

    def _needs_broadcast(
        self, state: str, sent_at: float | None, tx_hash: str, switched: bool = False
    ) -> bool:
        """Never sent, sent before a change of node, or sent long ago and unknown to the node
        (e.g. it restarted)."""
        if state == TX_SIGNED or switched:
            return True
        return time.time() - (sent_at or 0) > REBROADCAST_AFTER and not self._known(tx_hash)

    def _receipt(self, tx_hash: str) -> Receipt | None:
        return get_receipt(self.w3, tx_hash)

    def _known(self, tx_hash: str) -> bool:
        try:
            self.w3.eth.get_transaction(HexBytes(tx_hash))
            return True
        except TransactionNotFound:
            return False

    def _seen_in(self, tx_id: int, block: int | None) -> None:
        """Notes the block a receipt (not yet final) names, or that it no longer has one."""
        with transaction(self.services.sessions) as session:
            session.execute(
                update(RelayerTransaction)
                .where(RelayerTransaction.id == tx_id)
                .values(block_number=block)
            )

    def _drop(self, tx_id: int) -> None:
        """Another transaction took this one's nonce: its orders and requests are queued again."""
        log.warning("transaction %d was replaced on chain; re-queueing its work", tx_id)
        with transaction(self.services.sessions) as session:
            session.execute(
                update(RelayerTransaction)
                .where(RelayerTransaction.id == tx_id)
                .values(state=TX_DROPPED)
            )
            session.execute(
                update(RelayerOrder)
                .where(RelayerOrder.tx_id == tx_id, RelayerOrder.state == SUBMITTED)
                .values(state=RECEIVED, tx_id=None, tx_hash=None, updated_at=time.time())
            )
            session.execute(
                update(RelayerRequest)
                .where(RelayerRequest.tx_id == tx_id, RelayerRequest.state == REQ_SUBMITTED)
                .values(state=REQ_RECEIVED, tx_id=None, tx_hash=None, updated_at=time.time())
            )
            if self.purchases is not None:
                requeue_dropped(session, tx_id)

    def _apply(self, tx_id: int, receipt: Receipt) -> None:
        """Applies a receipt: each order settles or is rejected exactly as its events say."""
        ok = receipt.status == 1
        block = receipt.block_number
        swapped, rejected = self._events(receipt) if ok else ({}, {})
        rejected = explain_rejections(self.services, rejected, block)  # cancelled, not used
        cancel_done: list[tuple[str, int, int]] = []
        cancel_all_done: list[tuple[str, int]] = []
        pending_cash: list[str] = []
        with transaction(self.services.sessions) as session:
            if self.purchases is not None:
                pending_cash = apply_receipt(session, self.purchases, tx_id, receipt)
            tx = session.get(RelayerTransaction, tx_id)
            assert tx is not None
            tx.state = TX_MINED if ok else TX_REVERTED
            tx.block_number, tx.gas_used = block, receipt.gas_used
            now = time.time()
            for order in session.scalars(
                select(RelayerOrder).where(
                    RelayerOrder.tx_id == tx_id, RelayerOrder.state == SUBMITTED
                )
            ):
                order.updated_at = now
                if order.order_hash in swapped:
                    event = swapped[order.order_hash]
                    order.state, order.block_number = SETTLED, block
                    order.amount_out, order.fee = event["amountOut"], event["fee"]
                    order.gross_value = event["grossValue"]
                elif order.order_hash in rejected:
                    code, message = rejected[order.order_hash]
                    order.state, order.block_number = REJECTED, block
                    order.reason_code, order.reason_message = code, message
                else:  # the whole transaction failed (revert, out of gas): try again, a little
                    order.attempts += 1
                    if order.attempts >= MAX_ATTEMPTS:
                        order.state, order.reason_code = REJECTED, ErrorCode.SETTLEMENT_FAILED
                        order.reason_message = (
                            f"The settlement transaction failed {order.attempts} times "
                            "(is the exchange paused?); sign a new order later."
                        )
                    else:
                        order.state, order.tx_id, order.tx_hash = RECEIVED, None, None
            for request in session.scalars(
                select(RelayerRequest).where(
                    RelayerRequest.tx_id == tx_id, RelayerRequest.state == REQ_SUBMITTED
                )
            ):
                request.block_number, request.updated_at = block, now
                if ok:
                    request.state = REQ_DONE
                    if request.kind == "cancel":
                        payload = json.loads(request.payload)
                        cancel_done.append(
                            (request.owner, int(payload["word"]), int(payload["mask"]))
                        )
                    elif request.kind == "cancel_all":
                        payload = json.loads(request.payload)
                        cancel_all_done.append((request.owner, int(payload["counter"])))
                else:
                    request.state, request.reason_code = REQ_FAILED, ErrorCode.TRANSACTION_REVERTED
                    request.reason_message = "The transaction reverted on chain; sign again."
        announce_pending(self.services, pending_cash)
        for owner, word, mask in cancel_done:  # orders queued while the cancel was in flight
            void_cancelled_orders(self.services, owner, word, mask)
        for owner, counter in cancel_all_done:
            void_orders_under_counter(self.services, owner, counter)

    def _events(self, receipt: Receipt) -> tuple[dict[str, Any], dict[str, tuple[str, str]]]:
        swapped, reasons = self.events.of(receipt)
        rejected: dict[str, tuple[str, str]] = {}
        for order_hash, selector in reasons.items():
            code = code_for_selector(selector)
            rejected[order_hash] = (
                code,
                decode_error(selector).message
                if code != ErrorCode.UNKNOWN_ERROR
                else "The order failed on chain for an unknown reason (out of gas?); sign again.",
            )
        return swapped, rejected
