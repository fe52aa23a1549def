"""What the vouchers API answers: products (from the index, with their off-chain names), a
quote in the chosen program, a purchase, a holder's vouchers, and a merchant's daily series.

Products and vouchers come from the index (``vouchers.index_models``); a quote for a holder
reads the holder's balance and today's point values from the chain, so "¥20 more" is what
the holder would pay if they signed now.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from eth_utils import is_address, to_checksum_address
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.error_codes import ErrorCode
from ..core.errors import NotFoundError
from ..indexer.models import Merchant
from ..query.chain import merchants as live_merchants
from ..relayer.schemas import Reason
from ..services import Services
from . import codes
from .book import fee_bps, point_value
from .index_models import (
    IndexedVoucher,
    IndexedVoucherProduct,
    VoucherActivity,
)
from .models import P_RECEIVED, P_SUBMITTED, VoucherProductTerms, VoucherPurchaseRequest
from .quote import quote
from .schemas import ProductOut, PurchaseOut, QuoteOut, SalesPoint, SalesSeries, VoucherOut


def resolve_token(session: Session, merchant: str, services: Services | None = None) -> str:
    """A merchant's points token from its symbol (``SKYM``) or token address; a merchant the
    index has not seen yet is looked up on the chain when ``services`` is given."""
    if is_address(merchant):
        return str(to_checksum_address(merchant))
    token = session.scalar(select(Merchant.token).where(Merchant.symbol == merchant))
    if token is None and services is not None:
        token = next(
            (m["token"] for m in live_merchants(services.platform) if m["symbol"] == merchant),
            None,
        )
    if token is None:
        raise NotFoundError(
            f"no merchant has the symbol {merchant!r}; GET /merchants lists them",
            code=ErrorCode.UNKNOWN_MERCHANT,
        )
    return str(token)


def product_names(
    session: Session, rows: list[IndexedVoucherProduct]
) -> dict[tuple[str, str], VoucherProductTerms]:
    hashes = {row.terms_hash for row in rows}
    if not hashes:
        return {}
    found = session.scalars(
        select(VoucherProductTerms).where(VoucherProductTerms.terms_hash.in_(hashes))
    )
    return {(t.token, t.terms_hash): t for t in found}


def product_out(
    row: IndexedVoucherProduct, terms: VoucherProductTerms | None, symbol: str
) -> ProductOut:
    return ProductOut(
        product_id=row.product_id,
        merchant=row.token,
        symbol=symbol,
        name=terms.name if terms else f"#{row.product_id}",
        terms=terms.terms if terms else "",
        terms_hash=row.terms_hash,
        price=row.price,
        face_value=row.face_value,
        stock=row.stock,
        sold=row.sold,
        per_user_limit=row.per_user_limit,
        sale_ends_at=row.sale_ends_at,
        valid_until=row.valid_until,
        valid_days=row.valid_days,
        breakage=row.breakage,
        paused=row.paused,
        redeemed=row.redeemed,
        expired=row.expired,
    )


def list_products(
    services: Services, session: Session, merchant: str | None, pay_with: str | None
) -> list[ProductOut]:
    query = select(IndexedVoucherProduct).order_by(IndexedVoucherProduct.product_id)
    if merchant:
        query = query.where(IndexedVoucherProduct.token == resolve_token(session, merchant))
    rows = list(session.scalars(query))
    names = product_names(session, rows)
    symbols = dict(session.execute(select(Merchant.token, Merchant.symbol)).tuples().all())
    pay_token = resolve_token(session, pay_with, services) if pay_with else None
    out = []
    for row in rows:
        item = product_out(row, names.get((row.token, row.terms_hash)), symbols.get(row.token, ""))
        if pay_token is not None:
            item.quote = product_quote(services, row.price, row.token, pay_token, None)
        out.append(item)
    return out


def product_row(session: Session, product_id: int) -> IndexedVoucherProduct:
    row = session.get(IndexedVoucherProduct, product_id)
    if row is None:
        raise NotFoundError(codes.UNKNOWN_PRODUCT.message, code=codes.UNKNOWN_PRODUCT)
    return row


def product_quote(
    services: Services, price: int, token: str, pay_token: str, owner: str | None
) -> QuoteOut:
    """The whole price in ``pay_token``'s points, or with ``owner``: what their balance pays
    and the cash that tops it up."""
    platform = services.platform
    own = pay_token == token
    value = point_value(platform, pay_token)
    bps = 0 if own else fee_bps(platform)
    if value == 0:
        raise NotFoundError("That points token is not a program here.", code=codes.UNKNOWN_PRODUCT)
    if owner is None:
        whole = quote(price, 2**255, value, bps, own)
        return QuoteOut(points_in=whole.points_in, cash_amount=0, cash_needed=0)
    balance = int(platform.points_token(pay_token).functions.balanceOf(owner).call())
    found = quote(price, balance, value, bps, own)
    return QuoteOut(
        points_in=found.points_in,
        cash_amount=found.cash_amount,
        points_available=found.points_available,
        cash_needed=found.cash_needed,
    )


def purchase_out(row: VoucherPurchaseRequest) -> PurchaseOut:
    state = P_RECEIVED if row.state == P_SUBMITTED else row.state
    reason = (
        Reason(code=row.reason_code, message=row.reason_message or "") if row.reason_code else None
    )
    return PurchaseOut(
        purchase_id=row.purchase_id,
        state=state,
        owner=row.owner,
        product_id=row.product_id,
        pay_token=row.pay_token,
        points_in=row.points_in,
        cash_amount=row.cash_amount,
        nonce=row.nonce,
        deadline=row.deadline,
        voucher_id=row.voucher_id,
        cash_deadline=row.cash_deadline,
        tx_hash=row.tx_hash,
        block_number=row.block_number,
        reason=reason,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def holder_vouchers(session: Session, holder: str) -> list[VoucherOut]:
    rows = list(
        session.scalars(
            select(IndexedVoucher)
            .where(IndexedVoucher.owner == holder)
            .order_by(IndexedVoucher.issued_block.desc(), IndexedVoucher.voucher_id.desc())
        )
    )
    products = {
        p.product_id: p
        for p in session.scalars(
            select(IndexedVoucherProduct).where(
                IndexedVoucherProduct.product_id.in_({r.product_id for r in rows})
            )
        )
    }
    names = product_names(session, list(products.values()))
    out = []
    for row in rows:
        product = products.get(row.product_id)
        terms = names.get((product.token, product.terms_hash)) if product else None
        out.append(
            VoucherOut(
                voucher_id=row.voucher_id,
                product_id=row.product_id,
                name=terms.name if terms else f"#{row.product_id}",
                status=row.status,
                expires_at=row.expires_at,
                merchant=product.token if product else "",
                face_value=product.face_value if product else 0,
                owner=row.owner,
            )
        )
    return out


def day_of(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).date().isoformat()


def sales_series(session: Session, token: str) -> SalesSeries:
    """Per UTC day: vouchers sold (and their prices), redeemed (face values), expired unused
    (the breakage the merchant kept)."""
    days: defaultdict[str, list[int]] = defaultdict(lambda: [0] * 6)
    column = {"sale": 0, "redemption": 2, "expiry": 4}
    for kind, timestamp, value in session.execute(
        select(VoucherActivity.kind, VoucherActivity.block_timestamp, VoucherActivity.value).where(
            VoucherActivity.token == token, VoucherActivity.kind.in_(list(column))
        )
    ):
        cell = days[day_of(timestamp)]
        cell[column[kind]] += 1
        cell[column[kind] + 1] += int(value)
    return SalesSeries(
        token=token,
        period="day",
        points=[
            SalesPoint(
                day=day,
                sales=c[0],
                sales_value=c[1],
                redemptions=c[2],
                redemptions_value=c[3],
                breakage=c[4],
                breakage_value=c[5],
            )
            for day, c in sorted(days.items())
        ],
    )
