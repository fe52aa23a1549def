"""The auditor's replay of vouchers (issue 16), from VoucherBook's events and the exchange's
``VoucherPaid`` alone.

Written apart from the indexer's ``indexer.project_vouchers`` on purpose, as the rest of the
audit is. Checked as replayed, against the rules of ``VoucherBook.sol``:

- a purchase (``Purchased`` of a one-step purchase, ``PurchasePending``) of a listed product,
  not paused, before its sale ends, with stock left, within the per-user limit, cash ≤ price;
- ``VoucherIssued``: its expiry is ``validUntil`` or the block time + ``validDays`` days;
- ``VoucherRedeemed``/``VoucherGifted``: an active voucher of that holder, not past expiry;
- ``VoucherExpired``: an active voucher past expiry, the breakage refund ``⌊price / value⌋``
  points (breakage 1) and the value kept ``price − refunded × value``;
- ``VoucherPaid``: priced as a swap (``chain.swap_math``: V = amountIn × valueA, the fee
  rounded up, dust joined to it, V = points part + fee), the source account able to cover V;
  it moves the settlement accounts and fee credits as a swap does, so settlement conservation
  and the fee credits include it; the cash deposit of a points + cash purchase arrives as the
  exchange's ``SettlementDeposited`` (replayed with the deposits).

Points burned for vouchers (the purchase, the escrow) and minted back (a refund, breakage)
count with the swaps' in each token's mint/burn reconciliation. The rebuilt products and
vouchers are then compared with ``product()``/``voucher()`` at the audited block, and with the
index's voucher tables (``vouchers``: the rebuilt state and those comparisons).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..chain.constants import ZERO_ADDRESS
from ..chain.errors import code_for_selector
from ..chain.swap_math import quote, split_fee
from .replay_base import DOMAIN_FIXED
from .replay_swaps import enforce_user_window
from .vouchers import BOOK, CHECK

if TYPE_CHECKING:
    from .decode import Log
    from .replay_base import ReplayBase

DAY = 86_400


def _row(log: Log, **values: Any) -> dict[str, Any]:
    return {"block_number": log.block_number, "log_index": log.log_index, **values}


def _activity(
    replay: ReplayBase,
    log: Log,
    kind: str,
    product: dict[str, Any],
    owner: str,
    voucher_id: int | None = None,
    value: int = 0,
    points: int = 0,
    cash: int = 0,
) -> None:
    replay.vouchers.activity.append(
        _row(
            log,
            kind=kind,
            token=product["token"],
            product_id=product["product_id"],
            voucher_id=voucher_id,
            owner=owner,
            value=value,
            points=points,
            cash=cash,
        )
    )


def on_ProductListed(replay: ReplayBase, log: Log) -> None:
    a = log.args
    replay.vouchers.products[a["productId"]] = {
        "product_id": a["productId"],
        "token": a["token"],
        **{
            key: a[name]
            for key, name in (
                ("price", "price"),
                ("face_value", "faceValue"),
                ("stock", "stock"),
                ("per_user_limit", "perUserLimit"),
                ("sale_ends_at", "saleEndsAt"),
                ("valid_until", "validUntil"),
                ("valid_days", "validDays"),
                ("breakage", "breakage"),
                ("terms_hash", "termsHash"),
            )
        },
        "paused": False,
        "sold": 0,
        "redeemed": 0,
        "expired": 0,
        "listed_block": log.block_number,
        "listed_at": log.timestamp,
    }


def _product(replay: ReplayBase, log: Log, product_id: int) -> dict[str, Any] | None:
    product = replay.vouchers.products.get(product_id)
    if product is None:
        replay.find(CHECK, log, "productId", "a listed product", product_id, "unknown product")
    return product


def on_ProductPaused(replay: ReplayBase, log: Log) -> None:
    product = _product(replay, log, log.args["productId"])
    if product is not None:
        product["paused"] = log.args["paused"]


def on_StockAdded(replay: ReplayBase, log: Log) -> None:
    a = log.args
    product = _product(replay, log, a["productId"])
    if product is None:
        return
    if product["stock"] + a["amount"] != a["stockAfter"]:
        replay.find(
            CHECK,
            log,
            "stockAfter",
            product["stock"] + a["amount"],
            a["stockAfter"],
            "stock after differs from stock + amount",
        )
    product["stock"] = a["stockAfter"]


def _reserve(replay: ReplayBase, log: Log, product: dict[str, Any]) -> None:
    """The checks of a purchase taking one unit, then the unit taken."""
    a = log.args
    if product["paused"]:
        replay.find(CHECK, log, "paused", False, True, "a paused product sold")
    if product["sale_ends_at"] and log.timestamp > product["sale_ends_at"]:
        replay.find(
            CHECK,
            log,
            "saleEndsAt",
            f"≥ {log.timestamp}",
            product["sale_ends_at"],
            "a product sold after its sale ended",
        )
    if product["stock"] < 1:
        replay.find(CHECK, log, "stock", "≥ 1", product["stock"], "a sold-out product sold")
    key = (product["product_id"], a["owner"])
    bought = replay.vouchers.bought.get(key, 0)
    if product["per_user_limit"] and bought >= product["per_user_limit"]:
        replay.find(
            CHECK,
            log,
            "perUserLimit",
            product["per_user_limit"],
            bought + 1,
            "an owner bought more than the per-user limit",
        )
    if a["cashAmount"] > product["price"]:
        replay.find(
            CHECK,
            log,
            "cashAmount",
            f"≤ {product['price']}",
            a["cashAmount"],
            "cash above the price",
        )
    replay.vouchers.bought[key] = bought + 1
    product["stock"] -= 1
    product["sold"] += 1


def _purchase(log: Log, state: str) -> dict[str, Any]:
    a = log.args
    return {
        "product_id": a["productId"],
        "owner": a["owner"],
        "pay_token": a["payToken"],
        "points_in": a["pointsIn"],
        "cash_amount": a["cashAmount"],
        "state": state,
        "voucher_id": None,
        "cash_deadline": None,
        "earliest_key": 0,
        "payment_id": None,
        "reason_code": None,
        "block_number": log.block_number,
    }


def on_PurchasePending(replay: ReplayBase, log: Log) -> None:
    a = log.args
    product = _product(replay, log, a["productId"])
    if product is None:
        return
    _reserve(replay, log, product)
    purchase = _purchase(log, "pending")
    purchase["cash_deadline"] = a["cashDeadline"]
    replay.vouchers.purchases[a["purchaseId"]] = purchase
    if a["pointsIn"]:  # escrowed: burned now, refunded by a mint if the cash never comes
        replay.token(a["payToken"]).swap_burned += a["pointsIn"]
        # the burn just before was the owner's last debit: its first key is the escrow's
        purchase["earliest_key"] = replay.expiry.last_debit_key.get((a["payToken"], a["owner"]), 0)


def on_Purchased(replay: ReplayBase, log: Log) -> None:
    a = log.args
    product = _product(replay, log, a["productId"])
    if product is None:
        return
    purchase = replay.vouchers.purchases.get(a["purchaseId"])
    if purchase is None:  # one step: checked and taken now; own points burned now
        _reserve(replay, log, product)
        purchase = replay.vouchers.purchases[a["purchaseId"]] = _purchase(log, "purchased")
        if (
            a["payToken"] == product["token"]
            and a["pointsIn"]
            and a["cashAmount"] < product["price"]
        ):
            replay.token(a["payToken"]).swap_burned += a["pointsIn"]
    elif purchase["state"] != "pending":
        replay.find(CHECK, log, "state", "pending", purchase["state"], "a purchase completed twice")
    purchase["state"], purchase["voucher_id"] = "purchased", a["voucherId"]
    purchase["block_number"] = log.block_number
    _activity(
        replay,
        log,
        "sale",
        product,
        a["owner"],
        a["voucherId"],
        product["price"],
        a["pointsIn"],
        a["cashAmount"],
    )


def on_PurchaseRejected(replay: ReplayBase, log: Log) -> None:
    a = log.args
    if a["purchaseId"] in replay.vouchers.purchases:
        return
    replay.vouchers.purchases[a["purchaseId"]] = {
        "product_id": 0,
        "owner": a["owner"],
        "pay_token": ZERO_ADDRESS,
        "points_in": 0,
        "cash_amount": 0,
        "state": "rejected",
        "voucher_id": None,
        "cash_deadline": None,
        "payment_id": None,
        "block_number": log.block_number,
        "reason_code": str(code_for_selector(bytes.fromhex(a["reason"][2:]))),
    }


def _pending_purchase(replay: ReplayBase, log: Log, what: str) -> dict[str, Any] | None:
    """The purchase ``log`` completes, if it is pending; else a finding saying ``what``."""
    purchase = replay.vouchers.purchases.get(log.args["purchaseId"])
    if purchase is None or purchase["state"] != "pending":
        replay.find(CHECK, log, "state", "pending", purchase and purchase["state"], what)
        return None
    return purchase


def on_PurchaseRefunded(replay: ReplayBase, log: Log) -> None:
    a = log.args
    purchase = _pending_purchase(replay, log, "a refund of a purchase not pending")
    if purchase is None:
        return
    purchase["state"], purchase["block_number"] = "refunded", log.block_number
    purchase["reason_code"] = str(code_for_selector(bytes.fromhex(a["reason"][2:])))
    product = replay.vouchers.products[purchase["product_id"]]
    product["stock"] += 1
    product["sold"] -= 1
    key = (product["product_id"], purchase["owner"])
    replay.vouchers.bought[key] -= 1
    if purchase["points_in"]:
        replay.token(purchase["pay_token"]).swap_minted += purchase["points_in"]
        # the refund's Transfer (just before) is a mint under the escrow's earliest key
        replay.expiry.rekey_last_mint(
            purchase["pay_token"], purchase["owner"], purchase["earliest_key"], log
        )
    _activity(replay, log, "refund", product, purchase["owner"], None, 0, purchase["points_in"])


def on_CashSettled(replay: ReplayBase, log: Log) -> None:
    a = log.args
    purchase = _pending_purchase(replay, log, "cash settled for a purchase not pending")
    if purchase is None:
        return
    if a["amount"] != purchase["cash_amount"]:
        replay.find(
            CHECK,
            log,
            "amount",
            purchase["cash_amount"],
            a["amount"],
            "cash settled differs from the purchase's cash part",
        )
    if purchase["cash_deadline"] is not None and log.timestamp > purchase["cash_deadline"]:
        replay.find(
            CHECK,
            log,
            "cashDeadline",
            f"≥ {log.timestamp}",
            purchase["cash_deadline"],
            "cash settled after the window",
        )
    purchase["payment_id"] = a["paymentId"]


def on_VoucherIssued(replay: ReplayBase, log: Log) -> None:
    a = log.args
    product = _product(replay, log, a["productId"])
    if product is not None:
        expected = product["valid_until"] or log.timestamp + product["valid_days"] * DAY
        if a["expiresAt"] != expected:
            replay.find(
                CHECK,
                log,
                "expiresAt",
                expected,
                a["expiresAt"],
                "expiry differs from the product's validity",
            )
    replay.vouchers.vouchers[a["voucherId"]] = {
        "product_id": a["productId"],
        "owner": a["owner"],
        "purchase_id": a["purchaseId"],
        "expires_at": a["expiresAt"],
        "status": "active",
        "issued_block": log.block_number,
        "issued_at": log.timestamp,
        "closed_at": None,
        "redeemed_by": None,
    }


def _active(replay: ReplayBase, log: Log, holder: str) -> dict[str, Any] | None:
    voucher = replay.vouchers.vouchers.get(log.args["voucherId"])
    if voucher is None or voucher["status"] != "active":
        replay.find(
            CHECK,
            log,
            "status",
            "active",
            voucher and voucher["status"],
            "a voucher used that is not active",
        )
        return None
    if voucher["owner"] != holder:
        replay.find(CHECK, log, "holder", voucher["owner"], holder, "not the voucher's holder")
    return voucher


def _unexpired(replay: ReplayBase, log: Log, voucher: dict[str, Any], finding: str) -> None:
    """A gift or redemption must come no later than the voucher's expiry (the contract's rule)."""
    if log.timestamp > voucher["expires_at"]:
        replay.find(CHECK, log, "expiresAt", f"≥ {log.timestamp}", voucher["expires_at"], finding)


def on_VoucherGifted(replay: ReplayBase, log: Log) -> None:
    a = log.args
    voucher = _active(replay, log, a["from"])
    if voucher is None:
        return
    _unexpired(replay, log, voucher, "an expired voucher given away")
    voucher["owner"] = a["to"]
    product = replay.vouchers.products[voucher["product_id"]]
    _activity(replay, log, "gift", product, a["from"], a["voucherId"])


def on_VoucherRedeemed(replay: ReplayBase, log: Log) -> None:
    a = log.args
    voucher = _active(replay, log, a["holder"])
    if voucher is None:
        return
    _unexpired(replay, log, voucher, "an expired voucher redeemed")
    voucher["status"], voucher["closed_at"], voucher["redeemed_by"] = (
        "redeemed",
        log.timestamp,
        a["by"],
    )
    product = replay.vouchers.products[voucher["product_id"]]
    product["redeemed"] += 1
    _activity(
        replay, log, "redemption", product, a["holder"], a["voucherId"], product["face_value"]
    )


def on_VoucherExpired(replay: ReplayBase, log: Log) -> None:
    a = log.args
    voucher = _active(replay, log, a["holder"])
    if voucher is None:
        return
    if log.timestamp <= voucher["expires_at"]:
        replay.find(
            CHECK,
            log,
            "expiresAt",
            f"< {log.timestamp}",
            voucher["expires_at"],
            "a voucher expired before its expiry",
        )
    product = replay.vouchers.products[voucher["product_id"]]
    refunded, kept = 0, product["price"]
    market = replay.markets.get(product["token"])
    if product["breakage"] == 1 and market is not None and market.point_value:
        refunded = product["price"] // market.point_value
        kept = product["price"] - refunded * market.point_value
    for name, mine in (("refundedPoints", refunded), ("breakageValue", kept)):
        if a[name] != mine:
            replay.find(CHECK, log, name, mine, a[name], "breakage differs from the product's")
    replay.token(product["token"]).swap_minted += a["refundedPoints"]
    voucher["status"], voucher["closed_at"] = "expired", log.timestamp
    product["expired"] += 1
    _activity(
        replay,
        log,
        "expiry",
        product,
        a["holder"],
        a["voucherId"],
        a["breakageValue"],
        a["refundedPoints"],
    )


def on_VoucherPaid(replay: ReplayBase, log: Log) -> None:
    """Another program's points pay a voucher's points part: priced and moved as a swap."""
    a = log.args
    source, target = replay.markets.get(a["fromToken"]), replay.markets.get(a["toToken"])
    if source is None or target is None:
        replay.find(
            CHECK,
            log,
            "market",
            "two listed markets",
            f"{a['fromToken']}→{a['toToken']}",
            "a voucher paid on an unknown market",
        )
        return
    q = quote(a["amountIn"], source.point_value, 1, replay.fees.fee_bps)
    for name, mine in (("grossValue", q.gross_value), ("fee", a["grossValue"] - a["paidToTarget"])):
        if a[name] != mine:
            replay.find(CHECK, log, name, mine, a[name], "differs from SwapMath in force")
    if a["fee"] < q.fee - q.dust or a["fee"] - a["dust"] != q.fee - q.dust:
        replay.find(
            CHECK,
            log,
            "fee",
            q.fee - q.dust,
            a["fee"] - a["dust"],
            "the fee proper differs from ⌈V × feeBps⌉",
        )
    if source.settlement_balance < a["grossValue"]:
        replay.find(
            CHECK,
            log,
            "settlementBalance",
            f"≥ {a['grossValue']}",
            source.settlement_balance,
            "the source merchant could not cover V",
        )
    enforce_user_window(replay, log, a["owner"], a["grossValue"])  # as _moveValue does
    platform, src, tgt, rel = split_fee(replay.fees.shares, a["fee"], a["relayer"] != ZERO_ADDRESS)
    source.settlement_balance -= a["grossValue"]
    source.fee_credit += src
    target.settlement_balance += a["paidToTarget"]
    target.fee_credit += tgt
    payee = replay.fees.platform_payee
    replay.payee_credits[payee] = replay.payee_credits.get(payee, 0) + platform
    if rel:
        replay.payee_credits[a["relayer"]] = replay.payee_credits.get(a["relayer"], 0) + rel
    replay.fees_charged += a["fee"]
    replay.fees_credited += platform + src + tgt + rel
    replay.swap_value_paid += a["grossValue"]
    replay.swap_value_received += a["paidToTarget"] + a["fee"]
    pending = replay.vouchers.purchases.get(a["purchaseId"], {}).get("state") == "pending"
    if not pending:  # a pending purchase's points were burned at its first step
        replay.token(a["fromToken"]).swap_burned += a["amountIn"]
    replay.vouchers.payments.append(
        _row(
            log,
            purchase_id=a["purchaseId"],
            owner=a["owner"],
            from_token=a["fromToken"],
            to_token=a["toToken"],
            nonce="0",
            amount_in=a["amountIn"],
            amount_out=0,
            gross_value=a["grossValue"],
            paid_to_target=a["paidToTarget"],
            fee=a["fee"],
            dust=a["dust"],
            relayer=a["relayer"],
            platform_payee=payee,
            platform_fee=platform,
            source_merchant_fee=src,
            target_merchant_fee=tgt,
            relayer_fee=rel,
        )
    )


HANDLERS: dict[tuple[str, str], Callable[[ReplayBase, Log], None]] = {
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
    (BOOK, "VoucherNoncesCancelled"): "voucher nonces are VoucherBook's own bitmap, read live",
    (BOOK, "EIP712DomainChanged"): DOMAIN_FIXED,
    **{
        (BOOK, event): "VoucherBook's roles (relayers, providers) are not part of the audited state"
        for event in ("RoleAdminChanged", "RoleGranted", "RoleRevoked")
    },
}
