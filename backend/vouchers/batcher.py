"""Batching queued purchases into ``purchaseBatch`` transactions, as ``relayer.batcher`` does
swap orders: claimed, signed with the least busy key of the relayer's pool and stored with
them in one DB transaction (the write-ahead log, kind ``purchase``), and only then broadcast;
sized, as settles are, by the pool's in-flight gas budget and the block gas limit.
A nonce is signed once: if the DB refuses the log the key's counter steps back. Purchases
whose deadline passed while queued are rejected without spending gas.
"""

from __future__ import annotations

import time

from hexbytes import HexBytes
from sqlalchemy import func, select, update

from ..core.db import transaction
from ..relayer.keys import KeyPool, SignedTx
from ..relayer.reads import PreparedFunction
from ..relayer.tx_log import log_tx
from ..services import Services
from . import codes
from .book import book
from .models import P_RECEIVED, P_REJECTED, P_SUBMITTED, VoucherPurchaseRequest

# A purchase paid with another program's points is a swap's work plus the voucher's storage.
GAS_BASE, GAS_PER_PURCHASE = 150_000, 260_000
MAX_BATCH = 50
TX_KIND = "purchase"


def purchase_gas(purchases: int) -> int:
    """The gas a ``purchaseBatch`` of ``purchases`` purchases reserves."""
    return GAS_BASE + GAS_PER_PURCHASE * purchases


def purchase_tuple(row: VoucherPurchaseRequest) -> tuple[str, int, str, int, int, int, int]:
    return (
        row.owner,
        row.product_id,
        row.pay_token,
        row.points_in,
        row.cash_amount,
        int(row.nonce),
        row.deadline,
    )


class PurchaseBatcher:
    """Claims queued purchases and signs their ``purchaseBatch``."""

    def __init__(self, services: Services, pool: KeyPool) -> None:
        self.services = services
        self.settings = services.settings
        self.pool = pool
        self.book = book(services.platform)
        self.batch = PreparedFunction.of(self.book, "purchaseBatch")

    def batch_due(self) -> bool:
        self._expire_queued()
        with self.services.sessions() as session:
            count, oldest = session.execute(
                select(func.count(), func.min(VoucherPurchaseRequest.created_at)).where(
                    VoucherPurchaseRequest.state == P_RECEIVED
                )
            ).one()
        if not count:
            return False
        return bool(
            count >= min(self.settings.batch_max_size, MAX_BATCH)
            or time.time() - oldest >= self.settings.batch_max_wait
        )

    def _expire_queued(self) -> None:
        expired = (
            VoucherPurchaseRequest.state == P_RECEIVED,
            VoucherPurchaseRequest.deadline < int(time.time()),
        )
        with self.services.sessions() as session:
            if session.scalar(select(VoucherPurchaseRequest.id).where(*expired).limit(1)) is None:
                return
        with transaction(self.services.sessions) as session:
            session.execute(
                update(VoucherPurchaseRequest)
                .where(*expired)
                .values(
                    state=P_REJECTED,
                    reason_code=codes.REQUEST_EXPIRED.value,
                    reason_message=codes.REQUEST_EXPIRED.message,
                    updated_at=time.time(),
                )
            )

    def prepare_batch(self) -> int | None:
        """Claims queued purchases, signs one ``purchaseBatch`` and logs it (write-ahead);
        returns the transaction's id, not yet broadcast."""
        signed: SignedTx | None = None
        with self.services.sessions() as session:
            queued = session.scalar(
                select(func.count())
                .select_from(VoucherPurchaseRequest)
                .where(VoucherPurchaseRequest.state == P_RECEIVED)
            )
            picked = self.pool.pick_batch(
                session,
                queued or 0,
                GAS_BASE,
                GAS_PER_PURCHASE,
                min(self.settings.batch_max_size, MAX_BATCH),
            )
        if picked is None:
            return None
        key, size = picked
        try:
            with transaction(self.services.sessions) as session:
                claim = (
                    select(VoucherPurchaseRequest.id)
                    .where(VoucherPurchaseRequest.state == P_RECEIVED)
                    .order_by(VoucherPurchaseRequest.id)
                    .limit(size)
                    .scalar_subquery()
                )
                ids = (
                    session.execute(
                        update(VoucherPurchaseRequest)
                        .where(
                            VoucherPurchaseRequest.id.in_(claim),
                            VoucherPurchaseRequest.state == P_RECEIVED,
                        )
                        .values(state=P_SUBMITTED, updated_at=time.time())
                        .returning(VoucherPurchaseRequest.id)
                        .execution_options(synchronize_session=False)
                    )
                    .scalars()
                    .all()
                )
                if not ids:
                    return None
                rows = session.scalars(
                    select(VoucherPurchaseRequest)
                    .where(VoucherPurchaseRequest.id.in_(ids))
                    .order_by(VoucherPurchaseRequest.id)
                ).all()
                data = self.batch.calldata(
                    [purchase_tuple(r) for r in rows], [HexBytes(r.signature) for r in rows]
                )
                signed = self.pool.sign(
                    key,
                    {
                        "to": self.book.address,
                        "data": data,
                        "gas": purchase_gas(len(rows)),
                    },
                )
                log = log_tx(session, TX_KIND, signed)
                for row in rows:
                    row.tx_id, row.tx_hash = log.id, signed.tx_hash
                return log.id
        except BaseException:
            if signed is not None:
                key.next_nonce = signed.nonce  # the DB refused the log: the nonce stays free
            raise
