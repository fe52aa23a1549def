"""The relayer request kinds payments queues (no imports: the relayer reads them too)."""

SETTLE_CASH = "settle_cash"  # VoucherBook.settleCash(notice, providerSig)
REFUND_EXPIRED = "refund_expired"  # VoucherBook.refundExpired(purchaseId)
PAYMENT_KINDS = (SETTLE_CASH, REFUND_EXPIRED)
