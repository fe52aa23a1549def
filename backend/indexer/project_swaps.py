"""The indexer's handlers of PointsExchange's orders: swaps (with the fee split), rejections
(with their reason codes) and the nonces each uses. ``HANDLERS`` are this family's rows of
``projector.HANDLERS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..chain.constants import ZERO_ADDRESS
from ..chain.errors import code_for_selector
from ..chain.swap_math import FeeShares, split_fee
from ..core.db import check_int64
from .models import OrderRejection, Swap, UsedNonce
from .projection import EventRecord, Handler, Projection


def on_Swapped(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    if projection.latest_only:
        return
    fee, relayer = int(args["fee"]), args["relayer"]
    shares = FeeShares.from_abi(projection.params["fee_shares"].value)
    parts = split_fee(shares, fee, relayer != ZERO_ADDRESS)
    gross, amount_out = int(args["grossValue"]), int(args["amountOut"])
    swap = {
        "order_hash": args["orderHash"],
        "owner": args["owner"],
        "from_token": args["fromToken"],
        "to_token": args["toToken"],
        "nonce": args["nonce"],
        "amount_in": check_int64(int(args["amountIn"]), "amountIn"),
        "amount_out": check_int64(amount_out, "amountOut"),
        "gross_value": check_int64(gross, "grossValue"),
        "paid_to_target": gross - fee,
        "fee": fee,
        "dust": int(args["dust"]),
        "relayer": relayer,
        "platform_payee": projection.params["platform_payee"].value,
        "platform_fee": parts.platform,
        "source_merchant_fee": parts.source_merchant,
        "target_merchant_fee": parts.target_merchant,
        "relayer_fee": parts.relayer,
    }
    projection.row(Swap, event, **swap)
    projection.swap_sums(swap, 1)
    projection.address_row(args["owner"], event, "swap")
    nonce = int(args["nonce"])
    projection.row(
        UsedNonce,
        event,
        owner=args["owner"],
        word=str(nonce >> 8),
        mask=f"0x{1 << (nonce & 0xFF):064x}",
        source="swap",
    )


def on_OrderRejected(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    """Keyed by order hash. Only a rejection whose nonce the contract consumed (after
    verifying the owner's signature) is the owner's: it uses the nonce and enters the
    owner's history. Any other names an owner and nonce only a relayer claimed."""
    if not projection.latest_only:
        reason = args["reason"]
        projection.row(
            OrderRejection,
            event,
            order_hash=args["orderHash"],
            owner=args["owner"],
            nonce=args["nonce"],
            reason=reason,
            reason_code=code_for_selector(bytes.fromhex(reason[2:])),
        )
        projection.counters["rejected_orders"] += 1
        if args["nonceConsumed"]:
            nonce = int(args["nonce"])
            projection.row(
                UsedNonce,
                event,
                owner=args["owner"],
                word=str(nonce >> 8),
                mask=f"0x{1 << (nonce & 0xFF):064x}",
                source="reject",
            )
            projection.address_row(args["owner"], event, "rejected")


def on_NoncesCancelled(projection: Projection, event: EventRecord, args: Mapping[str, Any]) -> None:
    if not projection.latest_only:
        mask = f"0x{int(args['mask']):064x}"
        projection.row(
            UsedNonce, event, owner=args["owner"], word=args["word"], mask=mask, source="cancel"
        )


HANDLERS: dict[tuple[str, str], Handler] = {
    ("PointsExchange", "Swapped"): on_Swapped,
    ("PointsExchange", "OrderRejected"): on_OrderRejected,
    ("PointsExchange", "NoncesCancelled"): on_NoncesCancelled,
}
