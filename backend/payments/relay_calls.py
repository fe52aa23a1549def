"""The relayer's calls for payments' request kinds (``RequestRelay`` asks here first):
``settle_cash`` → ``VoucherBook.settleCash(notice, providerSig)``, ``refund_expired`` →
``VoucherBook.refundExpired(purchaseId)``. Both are one transaction each, estimated first, so
one that would revert (the purchase left Pending already) fails at once with its code."""

from __future__ import annotations

from typing import Any

from hexbytes import HexBytes

from ..services import Services
from .cash_notice import CashNotice, bytes32_of
from .kinds import PAYMENT_KINDS, SETTLE_CASH
from .voucher_book import voucher_book

__all__ = ["PAYMENT_KINDS", "payment_call"]


def payment_call(services: Services, kind: str, payload: dict[str, Any]) -> Any:
    book = voucher_book(services)
    if kind == SETTLE_CASH:
        notice = CashNotice(
            payload["purchaseId"], payload["paymentId"], int(payload["amount"]), payload["paid"]
        )
        return book.functions.settleCash(notice.as_tuple(), HexBytes(payload["signature"]))
    return book.functions.refundExpired(bytes32_of(payload["purchaseId"]))
