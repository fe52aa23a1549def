"""Purchase intake: every check VoucherBook would make, done before a purchase is queued.

As for swap orders (``relayer.intake``): the user hears a stable code at once instead of a
``PurchaseRejected`` later, and the chain stays the gate (stock or points may change before
the batch). Checks, in the contract's order: deadline, nonce (VoucherBook's own bitmap and the
queue), signature, product listed / not paused / sale not ended, stock (less the purchases
queued or waiting for cash), the per-user limit (bought, waiting, queued), cash ≤ price, and
points enough for the points part (the balance less what the owner's queued purchases spend).
The queue-dependent checks and the insert run under the owner's serialization
(``relayer.serial.owners_transaction``), so two purchases sent together see each other.
"""

from __future__ import annotations

import time

from eth_utils import to_checksum_address
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..chain.eip712 import recover_signer
from ..chain.signature_rules import canonical_hex, canonical_signature
from ..chain.voucher_eip712 import Purchase, voucher_digest
from ..core.errors import ValidationError
from ..relayer.intake_checks import refuse
from ..relayer.serial import owners_transaction
from ..services import Services
from . import codes
from .book import (
    ProductView,
    book_domain,
    fee_bps,
    nonce_used,
    point_value,
    product,
    purchased_by,
)
from .models import P_OPEN, P_QUEUED, P_RECEIVED, VoucherPurchaseRequest
from .quote import paid_by
from .schemas import PurchaseIn


def to_purchase(body: PurchaseIn) -> Purchase:
    fields = body.purchase
    return Purchase(
        owner=to_checksum_address(fields.owner),
        product_id=fields.product_id,
        pay_token=to_checksum_address(fields.pay_token),
        points_in=fields.points_in,
        cash_amount=fields.cash_amount,
        nonce=fields.nonce,
        deadline=fields.deadline,
    )


def find_purchase(services: Services, purchase_id: str) -> VoucherPurchaseRequest | None:
    with services.sessions() as session:
        return session.scalar(
            select(VoucherPurchaseRequest).where(
                VoucherPurchaseRequest.purchase_id == purchase_id.lower()
            )
        )


def check_product(view: ProductView, now: float) -> None:
    """Listed, selling, not past its end (the stock is checked against the queue)."""
    if not view.listed:
        raise refuse(
            codes.UNKNOWN_PRODUCT, codes.UNKNOWN_PRODUCT.message, product_id=view.product_id
        )
    if view.paused:
        raise refuse(codes.PRODUCT_PAUSED, codes.PRODUCT_PAUSED.message)
    if view.sale_ends_at and now > view.sale_ends_at:
        raise refuse(codes.SALE_ENDED, codes.SALE_ENDED.message, sale_ends_at=view.sale_ends_at)


def check_points(services: Services, purchase: Purchase, view: ProductView) -> None:
    """Cash at most the price, and the points worth the points part at today's values."""
    if purchase.cash_amount > view.price:
        raise refuse(codes.CASH_ABOVE_PRICE, codes.CASH_ABOVE_PRICE.message, price=view.price)
    points_part = view.price - purchase.cash_amount
    own = purchase.pay_token == to_checksum_address(view.token)
    value = point_value(services.platform, purchase.pay_token)
    if value == 0:
        raise refuse(codes.INSUFFICIENT_POINTS, "That points token is not a program here.")
    worth = paid_by(purchase.points_in, value, 0 if own else fee_bps(services.platform), own)
    if worth < points_part:
        raise refuse(
            codes.INSUFFICIENT_POINTS,
            f"{purchase.points_in} points pay {worth} fen of the {points_part} fen points part: "
            "sign for more points or a larger cash part (GET /vouchers/quote says how much).",
            paid=worth,
            needed=points_part,
        )


def _count_open(session: Session, product_id: int, owner: str | None = None) -> int:
    query = select(func.count()).where(
        VoucherPurchaseRequest.product_id == product_id,
        VoucherPurchaseRequest.state.in_(P_QUEUED),
    )
    if owner is not None:
        query = query.where(VoucherPurchaseRequest.owner == owner)
    return int(session.scalar(query) or 0)


def check_queue(
    session: Session, purchase: Purchase, view: ProductView, balance: int, bought: int
) -> None:
    """The checks that depend on what is queued: nonce, stock, limit, balance (``bought``:
    the owner's purchases the chain counts, ``purchasedBy``)."""
    live_nonce = session.scalar(
        select(VoucherPurchaseRequest.purchase_id).where(
            VoucherPurchaseRequest.owner == purchase.owner,
            VoucherPurchaseRequest.nonce == str(purchase.nonce),
            VoucherPurchaseRequest.state.in_(P_QUEUED),
        )
    )
    if live_nonce is not None:
        raise refuse(
            codes.NONCE_USED,
            f"Your queued purchase {live_nonce} already uses this nonce: sign with a fresh one.",
        )
    if view.stock - _count_open(session, view.product_id) < 1:
        raise refuse(codes.SOLD_OUT, codes.SOLD_OUT.message, stock=view.stock)
    if view.per_user_limit:
        mine = bought + _count_open(session, view.product_id, purchase.owner)
        if mine >= view.per_user_limit:
            raise refuse(
                codes.LIMIT_REACHED, codes.LIMIT_REACHED.message, limit=view.per_user_limit
            )
    promised = session.scalar(
        select(func.coalesce(func.sum(VoucherPurchaseRequest.points_in), 0)).where(
            VoucherPurchaseRequest.owner == purchase.owner,
            VoucherPurchaseRequest.pay_token == purchase.pay_token,
            VoucherPurchaseRequest.state.in_(P_QUEUED),
        )
    )
    if balance - int(promised or 0) < purchase.points_in:
        raise refuse(
            codes.INSUFFICIENT_POINTS,
            f"You hold {balance} points ({promised} promised to queued purchases), fewer than "
            f"the {purchase.points_in} this purchase gives.",
            balance=balance,
            needed=purchase.points_in,
        )


class PurchaseIntake:
    """Validates and stores signed purchases; ``submit`` is what ``POST /vouchers/purchases``
    calls. Returns (row, True if new); raises ValidationError with a code."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.domain = book_domain(services.platform, services.chain_id)

    def submit(self, body: PurchaseIn) -> tuple[VoucherPurchaseRequest, bool]:
        purchase = to_purchase(body)
        purchase_id = "0x" + voucher_digest(self.domain, purchase).hex()
        existing = find_purchase(self.services, purchase_id)
        if existing is not None:
            return existing, False
        now = time.time()
        if purchase.deadline <= now:
            raise refuse(
                codes.REQUEST_EXPIRED, codes.REQUEST_EXPIRED.message, deadline=purchase.deadline
            )
        platform = self.services.platform
        if nonce_used(platform, purchase.owner, purchase.nonce):
            raise refuse(codes.NONCE_USED, codes.NONCE_USED.message, nonce=str(purchase.nonce))
        try:
            signer = recover_signer(
                bytes.fromhex(purchase_id[2:]), canonical_signature(body.signature)
            )
        except (ValidationError, ValueError):
            signer = None
        if signer != purchase.owner:
            raise refuse(codes.INVALID_SIGNER, codes.INVALID_SIGNER.message)
        view = product(platform, purchase.product_id)
        check_product(view, now)
        check_points(self.services, purchase, view)
        balance = int(
            platform.points_token(purchase.pay_token).functions.balanceOf(purchase.owner).call()
        )
        bought = purchased_by(platform, purchase.product_id, purchase.owner)
        row = VoucherPurchaseRequest(
            purchase_id=purchase_id,
            owner=purchase.owner,
            product_id=purchase.product_id,
            pay_token=purchase.pay_token,
            points_in=purchase.points_in,
            cash_amount=purchase.cash_amount,
            nonce=str(purchase.nonce),
            deadline=purchase.deadline,
            signature=canonical_hex(body.signature),
            state=P_RECEIVED,
            attempts=0,
            created_at=now,
            updated_at=now,
        )
        try:
            with owners_transaction(self.services.sessions, [purchase.owner]) as session:
                check_queue(session, purchase, view, balance, bought)
                session.add(row)
        except IntegrityError:
            found = find_purchase(self.services, purchase_id)
            if found is None:
                raise
            return found, False
        return row, True


__all__ = ["P_OPEN", "PurchaseIntake", "find_purchase", "to_purchase"]
