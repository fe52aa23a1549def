"""The error codes of vouchers (issue 16), kept apart because ``error_codes.py`` is over 450
lines: plain data here, made members of the one catalogue
:class:`~tongdui.core.error_codes.ErrorCode` at the end of its class body, so every consumer
(the contract error table, the API's responses, the pages' messages test) sees one catalogue.

Each entry is (code, HTTP status, sentence). Every VoucherBook custom error has its code here
(``VoucherSoldOut`` → ``VOUCHER_SOLD_OUT``), so a refusal at intake and a rejection on chain
answer alike; the rest are the API's own (a purchase or voucher not found, the till's checks).
"""

from __future__ import annotations

VOUCHER_CODES: tuple[tuple[str, int, str], ...] = (
    # ─── VoucherBook's custom errors ─────────────────────────────────────────────────────
    (
        "VOUCHER_UNKNOWN_PRODUCT",
        404,
        "There is no such voucher product: reload the list of products.",
    ),
    (
        "VOUCHER_PRODUCT_PAUSED",
        400,
        "The merchant has paused sales of this voucher; try again later.",
    ),
    ("VOUCHER_SALE_ENDED", 400, "Sales of this voucher have ended."),
    ("VOUCHER_SOLD_OUT", 400, "This voucher is sold out; the merchant may add stock later."),
    (
        "VOUCHER_PER_USER_LIMIT",
        400,
        "You already bought as many of this voucher as one person may.",
    ),
    (
        "VOUCHER_INSUFFICIENT_POINTS",
        400,
        "Your points are not worth the price: pay the rest in cash or choose other points.",
    ),
    (
        "VOUCHER_CASH_ABOVE_PRICE",
        400,
        "The cash part is more than the price: lower it and sign again.",
    ),
    (
        "VOUCHER_POINTS_NOT_NEEDED",
        400,
        "The cash part pays the whole price: sign with no points (pointsIn 0).",
    ),
    (
        "VOUCHER_REQUEST_EXPIRED",
        400,
        "The request's deadline has passed; sign it again with a later deadline.",
    ),
    (
        "VOUCHER_NONCE_USED",
        400,
        "This nonce was already used for a purchase or gift: sign again with a fresh nonce.",
    ),
    (
        "VOUCHER_INVALID_SIGNER",
        400,
        "The signature does not match the owner: sign the request with that wallet under "
        "VoucherBook's domain (GET /vouchers/eip712).",
    ),
    (
        "VOUCHER_PURCHASE_NOT_PENDING",
        409,
        "The purchase is no longer waiting for its cash part (settled or refunded).",
    ),
    (
        "VOUCHER_CASH_WINDOW_OPEN",
        400,
        "The purchase's 15-minute cash window is still open: it cannot be refunded yet.",
    ),
    (
        "VOUCHER_CASH_AMOUNT_MISMATCH",
        400,
        "The payment's amount differs from the purchase's cash part: the points are refunded.",
    ),
    (
        "VOUCHER_CASH_NOT_PAID",
        400,
        "The payment provider reported the cash part as not paid: the points were refunded.",
    ),
    (
        "VOUCHER_CASH_LATE",
        400,
        "The cash part arrived after the 15-minute window: the points were refunded.",
    ),
    (
        "VOUCHER_INVALID_PROVIDER",
        401,
        "The cash notice is not signed by a payment provider of the consortium.",
    ),
    ("VOUCHER_PAYMENT_USED", 409, "This payment was already used for a purchase."),
    ("VOUCHER_NOT_ACTIVE", 400, "The voucher was already redeemed or has expired."),
    ("VOUCHER_NOT_EXPIRED", 400, "The voucher has not expired yet."),
    ("VOUCHER_HAS_EXPIRED", 400, "The voucher has expired: it can no longer be used."),
    (
        "VOUCHER_NOT_HOLDER",
        400,
        "This wallet does not hold the voucher: the holder must sign (was it given away?).",
    ),
    (
        "VOUCHER_NOT_MERCHANT_ADMIN",
        403,
        "Only the product's merchant (its operator key) may do this.",
    ),
    (
        "VOUCHER_NOT_REDEEMER",
        403,
        "Only the relayer or the voucher's merchant may redeem it.",
    ),
    (
        "VOUCHER_INVALID_STOCK",
        422,
        "The stock to add must be above zero and keep the stock within 2^32.",
    ),
    (
        "VOUCHER_INVALID_TERMS",
        422,
        "The product's terms are incomplete: give exactly one of validUntil and validDays, "
        "a price and a stock above zero, and breakage 0 or 1.",
    ),
    ("VOUCHER_LENGTH_MISMATCH", 400, "One signature per purchase is needed."),
    ("VOUCHER_ONLY_SELF", 403, "Only VoucherBook itself may call this."),
    (
        "VOUCHER_PURCHASE_FAILED_WITHOUT_REASON",
        400,
        "The purchase failed on chain without a reason (out of gas?); sign it again.",
    ),
    ("VOUCHER_ZERO_ADDRESS", 400, "An address is missing (zero)."),
    # ─── the API's own ───────────────────────────────────────────────────────────────────
    (
        "VOUCHER_LIMIT_REACHED",
        400,
        "You already bought (or have queued) as many of this voucher as one person may.",
    ),
    (
        "VOUCHER_PURCHASE_NOT_FOUND",
        404,
        "There is no such purchase: check the purchaseId the purchase answered with.",
    ),
    ("VOUCHER_NOT_FOUND", 404, "There is no such voucher."),
    (
        "VOUCHER_WRONG_MERCHANT",
        403,
        "This voucher belongs to another merchant's product: redeem it at that merchant.",
    ),
    (
        "VOUCHER_REDEMPTION_EXPIRED",
        400,
        "The QR code has expired: ask the holder to show a fresh one.",
    ),
)
