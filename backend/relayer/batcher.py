"""Batching queued orders into ``settle`` transactions.

A batch is due when ``batch_max_size`` orders are queued or the oldest waited
``batch_max_wait``; up to that many orders (fewer if one block's gas limit holds fewer) are
claimed, one ``settle`` is signed with the key pool's least busy key if the pool's in-flight
gas budget has room for it (``gas_budget``; else the orders wait for a receipt), and stored
with its orders in one DB transaction (``tx_log``), and only then broadcast (by the loop,
``relayer.Relayer``). Orders whose deadline passed while queued (or held for review) are
rejected without spending gas. A ``held`` order is never claimed: only a reviewer's release
(``risk.review``) puts it in the queue.
"""

from __future__ import annotations

import time

from sqlalchemy import func, select, update

from ..chain.errors import message_for
from ..core.db import transaction
from ..core.error_codes import ErrorCode
from ..services import Services
from .keys import KeyPool, SignedTx
from .models import HELD, RECEIVED, REJECTED, SUBMITTED, RelayerOrder
from .reads import PreparedFunction
from .tx_log import log_tx

# Measured: ≤ 98k per cold order (snapshots/gas.json); the first swap on a fresh chain also
# creates the fee-credit slots (~200k for a batch of one). 150k + 140k × 200 < 30M gas.
GAS_BASE, GAS_PER_ORDER = 150_000, 140_000


def settle_gas(orders: int) -> int:
    """The gas a ``settle`` of ``orders`` orders reserves."""
    return GAS_BASE + GAS_PER_ORDER * orders


class Batcher:
    """Claims queued orders and signs their ``settle`` (see the module docstring)."""

    def __init__(self, services: Services, pool: KeyPool) -> None:
        self.services = services
        self.settings = services.settings
        self.pool = pool
        self.exchange = services.platform.exchange
        self.settle = PreparedFunction.of(self.exchange, "settle")

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
        # a held order expires too (its reviewer was too late), and is never claimed below
        expired = RelayerOrder.state.in_((RECEIVED, HELD)), RelayerOrder.deadline < now
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

        Returns the transaction's id, not yet broadcast; None if nothing was claimed or the key
        pool has no room for the batch (its gas budget, or every key at its cap).
        """
        signed: SignedTx | None = None
        with self.services.sessions() as session:
            queued = session.scalar(
                select(func.count()).select_from(RelayerOrder).where(RelayerOrder.state == RECEIVED)
            )
            picked = self.pool.pick_batch(
                session, queued or 0, GAS_BASE, GAS_PER_ORDER, self.settings.batch_max_size
            )
        if picked is None:
            return None
        key, size = picked
        try:
            with transaction(self.services.sessions) as session:
                claim = (
                    select(RelayerOrder.id)
                    .where(RelayerOrder.state == RECEIVED)
                    .order_by(RelayerOrder.id)
                    .limit(size)
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
                        "gas": settle_gas(len(orders)),
                    },
                )
                row = log_tx(session, "settle", signed)
                for order in orders:
                    order.tx_id, order.tx_hash = row.id, signed.tx_hash
                return row.id
        except BaseException:
            if signed is not None:
                key.next_nonce = signed.nonce  # the DB refused the log: the nonce stays free
            raise


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
    return message_for(code, code)
