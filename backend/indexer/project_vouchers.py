"""The indexer's handlers of VoucherBook (issue 16) and of the exchange's ``VoucherPaid``.

Products, vouchers and purchases are latest values (every voucher event is in
``VOUCHER_EVENTS``, replayed alone after a reorg into freshly emptied tables); the activity
rows (sales, redemptions, expiries, gifts, refunds) and the ``VoucherPaid`` rows are per-event.
``VoucherPaid`` moves settlement value exactly as a swap does (the source merchant's account
pays the gross value, the voucher merchant's gets the points part, the fee is split), so it is
credited (``voucher_sums``) from its row and undone from that row; it is not a swap in the
swap statistics (``merchant_totals``, ``swap_users``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..chain.constants import ZERO_ADDRESS
from ..chain.errors import code_for_selector
from ..chain.swap_math import FeeShares, split_fee
from ..vouchers.index_models import (
    ACTIVE,
    CHAIN_PENDING,
    CHAIN_PURCHASED,
    CHAIN_REFUNDED,
    CHAIN_REJECTED,
    EXPIRED,
    REDEEMED,
    IndexedVoucher,
    IndexedVoucherProduct,
    IndexedVoucherPurchase,
    VoucherActivity,
    VoucherPayment,
)
from .projection import EventRecord, Handler, Projection

TERMS_FIELDS = (
    "token",
    "price",
    "faceValue",
    "stock",
    "perUserLimit",
    "saleEndsAt",
    "validUntil",
    "validDays",
    "breakage",
    "termsHash",
)


def product_terms(args: Mapping[str, Any]) -> dict[str, Any]:
    """The ``ProductTerms`` of a ``ProductListed``: a ``terms`` tuple (a JSON list) or flat."""
    terms = args.get("terms")
    if isinstance(terms, list):
        return dict(zip(TERMS_FIELDS, terms, strict=True))
    if isinstance(terms, dict):
        return dict(terms)
    return {name: args[name] for name in TERMS_FIELDS if name in args}


def _product(projection: Projection, product_id: Any) -> IndexedVoucherProduct | None:
    return projection.session.get(IndexedVoucherProduct, int(product_id))


def _purchase(projection: Projection, purchase_id: str) -> IndexedVoucherPurchase | None:
    return projection.session.get(IndexedVoucherPurchase, str(purchase_id).lower())


def _activity(
    projection: Projection,
    event: EventRecord,
    kind: str,
    product: IndexedVoucherProduct,
    owner: str,
    voucher_id: int | None = None,
    value: int = 0,
    points: int = 0,
    cash: int = 0,
) -> None:
    if not projection.latest_only:
        projection.row(
            VoucherActivity,
            event,
            kind=kind,
            token=product.token,
            product_id=product.product_id,
            voucher_id=voucher_id,
            owner=owner,
            value=value,
            points=points,
            cash=cash,
        )


def on_ProductListed(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    terms = product_terms(args)
    projection.session.add(
        IndexedVoucherProduct(
            product_id=int(args["productId"]),
            token=terms.get("token") or args["token"],
            price=int(terms["price"]),
            face_value=int(terms["faceValue"]),
            stock=int(terms["stock"]),
            sold=0,
            per_user_limit=int(terms["perUserLimit"]),
            sale_ends_at=int(terms["saleEndsAt"]),
            valid_until=int(terms["validUntil"]),
            valid_days=int(terms["validDays"]),
            breakage=int(terms["breakage"]),
            terms_hash=str(terms["termsHash"]).lower(),
            paused=False,
            redeemed=0,
            expired=0,
            listed_block=event["block_number"],
            listed_at=event["block_timestamp"],
        )
    )
    projection.session.flush()


def on_ProductPaused(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    product = _product(projection, args["productId"])
    if product is not None:
        product.paused = bool(args["paused"])


def on_StockAdded(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    product = _product(projection, args["productId"])
    if product is not None:
        product.stock = int(args["stockAfter"])


def _new_purchase(
    args: Mapping[str, Any], state: str, event: EventRecord
) -> IndexedVoucherPurchase:
    return IndexedVoucherPurchase(
        purchase_id=str(args["purchaseId"]).lower(),
        product_id=int(args["productId"]),
        owner=args["owner"],
        pay_token=args["payToken"],
        points_in=int(args["pointsIn"]),
        cash_amount=int(args["cashAmount"]),
        state=state,
        block_number=event["block_number"],
    )


def on_PurchasePending(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    purchase = _new_purchase(args, CHAIN_PENDING, event)
    purchase.cash_deadline = int(args["cashDeadline"])
    if purchase.points_in and not projection.latest_only:
        # the escrow's burn was this transaction's last debit of the owner (after a reorg the
        # expiry replay sets the key: expiry_buckets._write_escrow_keys)
        purchase.earliest_key = projection.expiry.escrowed(
            purchase.purchase_id, purchase.pay_token, purchase.owner
        )
    projection.session.add(purchase)
    product = _product(projection, args["productId"])
    if product is not None:  # stock and the owner's count are reserved
        product.stock -= 1
        product.sold += 1
    projection.session.flush()


def on_Purchased(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    purchase = _purchase(projection, args["purchaseId"])
    product = _product(projection, args["productId"])
    if purchase is None:
        purchase = _new_purchase(args, CHAIN_PURCHASED, event)
        projection.session.add(purchase)
        if product is not None:
            product.stock -= 1
            product.sold += 1
    purchase.state, purchase.voucher_id = CHAIN_PURCHASED, int(args["voucherId"])
    purchase.block_number = event["block_number"]
    if product is not None:
        _activity(
            projection,
            event,
            "sale",
            product,
            args["owner"],
            int(args["voucherId"]),
            product.price,
            int(args["pointsIn"]),
            int(args["cashAmount"]),
        )
    projection.session.flush()


def on_PurchaseRejected(
    projection: Projection, event: EventRecord, args: Mapping[str, Any]
) -> None:
    if _purchase(projection, args["purchaseId"]) is not None:
        return  # a replay of a known purchase's id: the first outcome stands
    reason = args["reason"]
    projection.session.add(
        IndexedVoucherPurchase(
            purchase_id=str(args["purchaseId"]).lower(),
            product_id=0,
            owner=args["owner"],
            pay_token=ZERO_ADDRESS,
            points_in=0,
            cash_amount=0,
            state=CHAIN_REJECTED,
            reason_code=code_for_selector(bytes.fromhex(reason[2:])),
            block_number=event["block_number"],
        )
    )
    projection.session.flush()


def on_PurchaseRefunded(
    projection: Projection, event: EventRecord, args: Mapping[str, Any]
) -> None:
    purchase = _purchase(projection, args["purchaseId"])
    if purchase is None:
        return
    reason = args["reason"]
    purchase.state = CHAIN_REFUNDED
    if purchase.points_in and purchase.earliest_key and not projection.latest_only:
        # the refund's Transfer (just before) credited today's key; the points are the old ones
        projection.expiry.rekey_last_mint(purchase.pay_token, purchase.owner, purchase.earliest_key)
    purchase.reason_code = code_for_selector(bytes.fromhex(reason[2:]))
    purchase.block_number = event["block_number"]
    product = _product(projection, purchase.product_id)
    if product is not None:
        product.stock += 1
        product.sold -= 1
        _activity(projection, event, "refund", product, purchase.owner, None, 0, purchase.points_in)


def on_CashSettled(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    purchase = _purchase(projection, args["purchaseId"])
    if purchase is not None:
        purchase.payment_id = str(args["paymentId"]).lower()


def on_VoucherIssued(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    projection.session.add(
        IndexedVoucher(
            voucher_id=int(args["voucherId"]),
            product_id=int(args["productId"]),
            owner=args["owner"],
            purchase_id=str(args["purchaseId"]).lower(),
            expires_at=int(args["expiresAt"]),
            status=ACTIVE,
            issued_block=event["block_number"],
            issued_at=event["block_timestamp"],
        )
    )
    projection.session.flush()


def _voucher(projection: Projection, voucher_id: Any) -> IndexedVoucher | None:
    return projection.session.get(IndexedVoucher, int(voucher_id))


def on_VoucherGifted(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    voucher = _voucher(projection, args["voucherId"])
    if voucher is None:
        return
    voucher.owner = args["to"]
    product = _product(projection, voucher.product_id)
    if product is not None:
        _activity(projection, event, "gift", product, args["from"], voucher.voucher_id)


def on_VoucherRedeemed(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    voucher = _voucher(projection, args["voucherId"])
    if voucher is None:
        return
    voucher.status, voucher.closed_at = REDEEMED, event["block_timestamp"]
    voucher.redeemed_by = args["by"]
    product = _product(projection, voucher.product_id)
    if product is not None:
        product.redeemed += 1
        _activity(
            projection,
            event,
            "redemption",
            product,
            args["holder"],
            voucher.voucher_id,
            product.face_value,
        )


def on_VoucherExpired(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    voucher = _voucher(projection, args["voucherId"])
    if voucher is None:
        return
    voucher.status, voucher.closed_at = EXPIRED, event["block_timestamp"]
    product = _product(projection, voucher.product_id)
    if product is not None:
        product.expired += 1
        _activity(
            projection,
            event,
            "expiry",
            product,
            args["holder"],
            voucher.voucher_id,
            int(args["breakageValue"]),
            int(args["refundedPoints"]),
        )


def voucher_payment(projection: Projection, args: Mapping[str, Any]) -> dict[str, Any]:
    """A ``VoucherPaid`` as a ``swaps``-shaped row, its fee split as credited at that moment."""
    fee, relayer = int(args["fee"]), args["relayer"]
    shares = FeeShares.from_abi(projection.params["fee_shares"].value)
    parts = split_fee(shares, fee, relayer != ZERO_ADDRESS)
    return {
        "purchase_id": str(args["purchaseId"]).lower(),
        "owner": args["owner"],
        "from_token": args["fromToken"],
        "to_token": args["toToken"],
        "nonce": "0",
        "amount_in": int(args["amountIn"]),
        "amount_out": 0,
        "gross_value": int(args["grossValue"]),
        "paid_to_target": int(args["paidToTarget"]),
        "fee": fee,
        "dust": int(args["dust"]),
        "relayer": relayer,
        "platform_payee": projection.params["platform_payee"].value,
        "platform_fee": parts.platform,
        "source_merchant_fee": parts.source_merchant,
        "target_merchant_fee": parts.target_merchant,
        "relayer_fee": parts.relayer,
    }


def on_VoucherPaid(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    if projection.latest_only:
        return
    row = voucher_payment(projection, args)
    projection.row(VoucherPayment, event, **row)
    voucher_sums(projection, row, 1)


def voucher_sums(projection: Projection, row: Mapping[str, Any], sign: int) -> None:
    """A ``VoucherPaid``'s settlement move, as a swap's (``Projection.swap_sums``) without the
    swap statistics: the source account pays V, the voucher merchant's gets the points part,
    the fee's parts are credited."""
    source, target = (
        projection.settlements[row["from_token"]],
        projection.settlements[row["to_token"]],
    )
    source[0] -= row["gross_value"] * sign
    source[1] += row["source_merchant_fee"] * sign
    target[0] += row["paid_to_target"] * sign
    target[1] += row["target_merchant_fee"] * sign
    projection.payees[row["platform_payee"]] += row["platform_fee"] * sign
    if row["relayer_fee"]:
        projection.payees[row["relayer"]] += row["relayer_fee"] * sign


BOOK = "VoucherBook"
HANDLERS: dict[tuple[str, str], Handler] = {
    (BOOK, "ProductListed"): on_ProductListed,
    (BOOK, "ProductPaused"): on_ProductPaused,
    (BOOK, "StockAdded"): on_StockAdded,
    (BOOK, "PurchasePending"): on_PurchasePending,
    (BOOK, "Purchased"): on_Purchased,
    (BOOK, "PurchaseRejected"): on_PurchaseRejected,
    (BOOK, "PurchaseRefunded"): on_PurchaseRefunded,
    (BOOK, "CashSettled"): on_CashSettled,
    (BOOK, "VoucherIssued"): on_VoucherIssued,
    (BOOK, "VoucherGifted"): on_VoucherGifted,
    (BOOK, "VoucherRedeemed"): on_VoucherRedeemed,
    (BOOK, "VoucherExpired"): on_VoucherExpired,
    ("PointsExchange", "VoucherPaid"): on_VoucherPaid,
}
IGNORED: dict[tuple[str, str], str] = {
    (BOOK, "VoucherNoncesCancelled"): "voucher nonces are read from VoucherBook (isNonceUsed)",
}

# replayed alone (latest values) after a reorg: every VoucherBook event handled above
VOUCHER_EVENTS = frozenset(name for kind, name in HANDLERS if kind == BOOK)
