"""The relayer loop: batch queued orders into ``settle`` transactions, relay gifts and
cancellations, and learn from receipts what became of each.

One pass (``run_once``) does, in order:
1. reconcile every in-flight transaction of the write-ahead log: mined → apply its receipt's
   ``Swapped``/``OrderRejected`` events; nonce taken by another transaction → its orders go
   back to the queue; still unknown to the node → rebroadcast the stored raw transaction;
2. relay queued gifts and cancellations (one transaction each);
3. while a batch is due (``batch_max_size`` orders queued, or the oldest waited
   ``batch_max_wait``), claim up to that many orders, sign a ``settle`` with the least busy
   key, store it with its orders (one DB transaction) and only then broadcast it.

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
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from hexbytes import HexBytes
from sqlalchemy import func, select, update
from web3.exceptions import (
    ContractCustomError,
    ContractLogicError,
    TransactionNotFound,
    Web3RPCError,
)

from ..chain.errors import code_for_selector, decode_error
from ..chain.nodes import nodes_of
from ..chain.transactions import revert_error
from ..core.db import transaction
from ..core.error_codes import ErrorCode
from ..services import Services
from .cancelled_nonces import explain_rejections
from .intake import CHAIN_DOWN
from .keys import KeyPool, SignedTx
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
    TX_SENT,
    TX_SIGNED,
    RelayerOrder,
    RelayerRequest,
    RelayerTransaction,
)
from .reads import PreparedFunction
from .receipts import ExchangeEvents, Receipt, get_receipt
from .signed_requests import void_cancelled_orders, void_orders_under_counter

log = logging.getLogger("tongdui.relayer")

MAX_ATTEMPTS = 3  # whole-transaction failures (revert, out of gas) before an order gives up
# Measured: ≤ 98k per cold order (snapshots/gas.json); the first swap on a fresh chain also
# creates the fee-credit slots (~200k for a batch of one). 150k + 140k × 200 < 30M gas.
GAS_BASE, GAS_PER_ORDER = 150_000, 140_000
REBROADCAST_AFTER = 10.0  # seconds a sent transaction may be unknown to the node


@dataclass
class PassReport:
    """What one ``run_once`` did (for logs and tests)."""

    mined: int = 0
    dropped: int = 0
    rebroadcast: int = 0
    batches: list[int] = field(default_factory=list)  # transaction ids
    requests: int = 0


class Relayer:
    """Entry point for ``tongdui up`` / ``tongdui relay``: ``Relayer(services).run(stop)``."""

    def __init__(self, services: Services, keys: list[str] | None = None) -> None:
        self.services = services
        self.settings = services.settings
        self.w3 = services.w3
        self.exchange = services.platform.exchange
        self.settle = PreparedFunction.of(self.exchange, "settle")
        self.events = ExchangeEvents(self.exchange)
        self.pool = KeyPool(
            self.w3, keys or self.settings.relayer_private_keys(), services.sessions
        )
        self.nodes = nodes_of(self.w3)
        self._seen_generation = self.nodes.generation if self.nodes else 0

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
        report = PassReport()
        self.reconcile(report)
        report.requests = self.submit_requests()
        while self.batch_due():
            tx_id = self.prepare_batch()
            if tx_id is None:
                break
            report.batches.append(tx_id)
            self.broadcast(tx_id)
        return report

    # ── batching ────────────────────────────────────────────────────────────────────────────

    def batch_due(self) -> bool:
        self._expire_queued()
        with self.services.sessions() as session:
            count, oldest = session.execute(
                select(func.count(), func.min(RelayerOrder.created_at)).where(
                    RelayerOrder.state == RECEIVED
                )
            ).one()
        if not count:
            return False
        return bool(
            count >= self.settings.batch_max_size
            or time.time() - oldest >= self.settings.batch_max_wait
        )

    def _expire_queued(self) -> None:
        """Orders whose deadline passed while queued are rejected without spending gas.

        Looked for first with a read: an UPDATE takes SQLite's write lock even when it changes
        nothing, and this runs every pass, in front of intake's writes.
        """
        now = int(time.time())
        expired = RelayerOrder.state == RECEIVED, RelayerOrder.deadline < now
        with self.services.sessions() as session:
            if session.scalar(select(RelayerOrder.id).where(*expired).limit(1)) is None:
                return
        with transaction(self.services.sessions) as session:
            session.execute(
                update(RelayerOrder)
                .where(*expired)
                .values(
                    state=REJECTED,
                    reason_code=ErrorCode.ORDER_EXPIRED,
                    reason_message=decode_message(ErrorCode.ORDER_EXPIRED),
                    updated_at=time.time(),
                )
            )

    def prepare_batch(self) -> int | None:
        """Claims queued orders, signs one ``settle`` and logs it with them (write-ahead).

        Returns the transaction's id, not yet broadcast; None if nothing was claimed or every
        key is at its in-flight cap.
        """
        signed: SignedTx | None = None
        with self.services.sessions() as session:
            key = self.pool.pick(session)
        if key is None:
            return None
        try:
            with transaction(self.services.sessions) as session:
                claim = (
                    select(RelayerOrder.id)
                    .where(RelayerOrder.state == RECEIVED)
                    .order_by(RelayerOrder.id)
                    .limit(self.settings.batch_max_size)
                    .scalar_subquery()
                )
                ids = (
                    session.execute(
                        update(RelayerOrder)
                        .where(RelayerOrder.id.in_(claim), RelayerOrder.state == RECEIVED)
                        .values(state=SUBMITTED, updated_at=time.time())
                        .returning(RelayerOrder.id)
                        .execution_options(synchronize_session=False)
                    )
                    .scalars()
                    .all()
                )
                if not ids:
                    return None
                orders = session.scalars(
                    select(RelayerOrder).where(RelayerOrder.id.in_(ids)).order_by(RelayerOrder.id)
                ).all()
                data = self.settle.calldata(
                    [order_tuple(o) for o in orders],
                    [bytes.fromhex(o.signature[2:]) for o in orders],
                )
                signed = self.pool.sign(
                    key,
                    {
                        "to": self.exchange.address,
                        "data": data,
                        "gas": GAS_BASE + GAS_PER_ORDER * len(orders),
                    },
                )
                row = self._log_tx(session, "settle", signed)
                for order in orders:
                    order.tx_id, order.tx_hash = row.id, signed.tx_hash
                return row.id
        except BaseException:
            if signed is not None:
                key.next_nonce = signed.nonce  # the DB refused the log: the nonce stays free
            raise

    @staticmethod
    def _log_tx(session: Any, kind: str, signed: SignedTx) -> RelayerTransaction:
        row = RelayerTransaction(
            kind=kind,
            sender=signed.sender,
            nonce=signed.nonce,
            tx_hash=signed.tx_hash,
            raw_tx=signed.raw,
            state=TX_SIGNED,
            created_at=time.time(),
        )
        session.add(row)
        session.flush()
        return row

    def broadcast(self, tx_id: int) -> bool:
        """Sends a logged transaction; True if the node has it (now or already)."""
        with self.services.sessions() as session:
            tx = session.get(RelayerTransaction, tx_id)
            assert tx is not None
            raw, sender, state = tx.raw_tx, tx.sender, tx.state
        if state not in TX_IN_FLIGHT:
            return False
        try:
            self.w3.eth.send_raw_transaction(HexBytes(raw))
        except CHAIN_DOWN:
            log.warning("node unreachable: transaction %d stays logged for rebroadcast", tx_id)
            return False
        except (Web3RPCError, ValueError) as error:
            text = str(error).lower()
            if "nonce too low" in text:
                self.pool.resync(sender)  # reconcile decides: mined, or taken by another tx
            elif "already known" not in text and "known transaction" not in text:
                log.error("node refused transaction %d: %s", tx_id, error)
                return False
        with transaction(self.services.sessions) as session:
            session.execute(
                update(RelayerTransaction)
                .where(RelayerTransaction.id == tx_id, RelayerTransaction.state.in_(TX_IN_FLIGHT))
                .values(state=TX_SENT, sent_at=time.time())
            )
        return True

    # ── gifts and cancellations ─────────────────────────────────────────────────────────────

    def submit_requests(self, limit: int = 20) -> int:
        """Relays queued gifts and cancellations; a call that would revert fails at once."""
        with self.services.sessions() as session:
            queued = session.scalars(
                select(RelayerRequest)
                .where(RelayerRequest.state == REQ_RECEIVED)
                .order_by(RelayerRequest.id)
                .limit(limit)
            ).all()
        sent = 0
        for request in queued:
            call = self._request_call(request)
            key = self.pool.keys[0]
            try:
                gas = call.estimate_gas({"from": key.address})
            except (ContractCustomError, ContractLogicError) as error:
                decoded = revert_error(error)
                self._fail_request(request.id, decoded.code, decoded.message)
                continue
            signed = None
            try:
                with transaction(self.services.sessions) as session:
                    picked = self.pool.pick(session)
                    if picked is None:
                        return sent
                    key = picked
                    signed = self.pool.sign(
                        key,
                        {
                            "to": call.address,
                            "data": call._encode_transaction_data(),
                            "gas": int(gas * 1.3) + 20_000,
                        },
                    )
                    row = self._log_tx(session, request.kind, signed)
                    claimed = session.execute(
                        update(RelayerRequest)
                        .where(
                            RelayerRequest.id == request.id, RelayerRequest.state == REQ_RECEIVED
                        )
                        .values(
                            state=REQ_SUBMITTED,
                            tx_id=row.id,
                            tx_hash=signed.tx_hash,
                            updated_at=time.time(),
                        )
                    ).rowcount  # type: ignore[attr-defined]
                    if not claimed:
                        raise _Skip
            except _Skip:
                key.next_nonce = signed.nonce if signed else key.next_nonce
                continue
            except BaseException:
                if signed is not None:
                    key.next_nonce = signed.nonce
                raise
            self.broadcast(row.id)
            sent += 1
        return sent

    def _request_call(self, request: RelayerRequest) -> Any:
        payload = json.loads(request.payload)
        if request.kind == "gift":
            token = self.services.platform.points_token(payload["token"])
            return token.functions.transferWithAuthorization(
                payload["from"],
                payload["to"],
                payload["value"],
                payload["validAfter"],
                payload["validBefore"],
                HexBytes(payload["nonce"]),
                HexBytes(payload["signature"]),
            )
        if request.kind == "cancel_all":
            return self.exchange.functions.incrementCounterWithSig(
                (payload["owner"], int(payload["counter"]), payload["deadline"]),
                HexBytes(payload["signature"]),
            )
        return self.exchange.functions.cancelNoncesWithSig(
            (payload["owner"], int(payload["word"]), int(payload["mask"]), payload["deadline"]),
            HexBytes(payload["signature"]),
        )

    def _fail_request(self, request_id: int, code: str, message: str) -> None:
        with transaction(self.services.sessions) as session:
            session.execute(
                update(RelayerRequest)
                .where(RelayerRequest.id == request_id)
                .values(
                    state=REQ_FAILED,
                    reason_code=code,
                    reason_message=message,
                    updated_at=time.time(),
                )
            )

    # ── receipts ────────────────────────────────────────────────────────────────────────────

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
                )
                .where(RelayerTransaction.state.in_(TX_IN_FLIGHT))
                .order_by(RelayerTransaction.id)
            ).all()
        mined_nonce: dict[str, int] = {}
        switched = self._node_switched()
        generation = self._generation()
        final_block = self._final_block() if in_flight else 0
        for tx_id, tx_hash, sender, nonce, state, sent_at in in_flight:
            receipt = self._receipt(tx_hash)
            if receipt is not None and receipt.block_number > final_block:
                # Mined, but not yet TONGDUI_CONFIRMATIONS deep: a Clique reorg may still undo
                # it (geth then puts the transaction back in its pool, and it is mined again,
                # perhaps in another block). Wait, as the indexer does, before calling it final.
                continue
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

    def _apply(self, tx_id: int, receipt: Receipt) -> None:
        """Applies a receipt: each order settles or is rejected exactly as its events say."""
        ok = receipt.status == 1
        block = receipt.block_number
        swapped, rejected = self._events(receipt) if ok else ({}, {})
        rejected = explain_rejections(self.services, rejected, block)  # cancelled, not used
        cancel_done: list[tuple[str, int, int]] = []
        cancel_all_done: list[tuple[str, int]] = []
        with transaction(self.services.sessions) as session:
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


class _Skip(Exception):
    """Another pass claimed the request first."""


def order_tuple(order: RelayerOrder) -> tuple[str, str, str, int, int, int, int, int]:
    return (
        order.owner,
        order.from_token,
        order.to_token,
        order.amount_in,
        order.min_amount_out,
        int(order.nonce),
        order.deadline,
        order.counter,
    )


def decode_message(code: str) -> str:
    from ..chain.errors import message_for

    return message_for(code, code)
