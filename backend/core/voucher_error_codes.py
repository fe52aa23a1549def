"""The error codes of vouchers (issue 16), kept apart because ``error_codes.py`` is over 450
lines: plain data here, made members of the one catalogue
:class:`~tongdui.core.error_codes.ErrorCode` at the end of its class body, so every consumer
(the contract error table, the API's responses, the pages' messages test) sees one catalogue.

Each entry is (code, HTTP status, sentence). The names of VoucherBook's custom errors
(``VoucherSoldOut`` → ``VOUCHER_SOLD_OUT``) are among them, so a rejection on chain and a
refusal at intake answer with the same code.
"""

from __future__ import annotations

VOUCHER_CODES: tuple[tuple[str, int, str], ...] = (
    (
        "VOUCHER_PRODUCT_NOT_FOUND",
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
        "VOUCHER_LIMIT_REACHED",
        400,
        "You already bought as many of this voucher as one person may.",
    ),
    (
        "VOUCHER_INSUFFICIENT_POINTS",
        400,
        "Your points are not worth the price: pay the rest in cash or choose other points.",
    ),
    (
        "VOUCHER_CASH_TOO_HIGH",
        400,
        "The cash part is more than the price: lower it and sign again.",
    ),
    (
        "VOUCHER_PURCHASE_EXPIRED",
        400,
        "The purchase's deadline has passed; sign it again with a later deadline.",
    ),
    (
        "VOUCHER_NONCE_USED",
        400,
        "This nonce was already used for a purchase or gift: sign again with a fresh nonce.",
    ),
    (
        "VOUCHER_INVALID_SIGNATURE",
        400,
        "The signature does not match the owner: sign the request with that wallet under "
        "VoucherBook's domain.",
    ),
    (
        "VOUCHER_PURCHASE_NOT_FOUND",
        404,
        "There is no such purchase: check the purchaseId the purchase answered with.",
    ),
    (
        "VOUCHER_PURCHASE_NOT_PENDING",
        409,
        "The purchase is no longer waiting for its cash part (settled or refunded).",
    ),
    ("VOUCHER_NOT_FOUND", 404, "There is no such voucher."),
    (
        "VOUCHER_NOT_ACTIVE",
        400,
        "The voucher was already redeemed or has expired: it cannot be used again.",
    ),
    ("VOUCHER_EXPIRED", 400, "The voucher has expired: it can no longer be redeemed."),
    (
        "VOUCHER_NOT_HOLDER",
        400,
        "This wallet does not hold the voucher: the holder must sign (was it given away?).",
    ),
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
    (
        "VOUCHER_TERMS_INVALID",
        422,
        "The product's terms are incomplete: give exactly one of validUntil and validDays, "
        "a price above the cash part and a stock of at least one.",
    ),
    (
        "VOUCHER_PAYMENT_NOT_PAID",
        400,
        "The payment provider reported the cash part as not paid: the points were refunded.",
    ),
    (
        "VOUCHER_CASH_LATE",
        400,
        "The cash part arrived after the 15-minute window: the points were refunded.",
    ),
)
