"""The error codes of points + cash payments (issue 16), kept apart from ``error_codes.py``
(over its 450-line budget) and merged into the one catalogue ``ErrorCode`` there: each entry
is ``name: (value, status, message)`` exactly as a member of ``ErrorCode`` is written."""

from __future__ import annotations

PAYMENT_CODES: dict[str, tuple[str, int, str]] = {
    "PAYMENT_NOT_FOUND": (
        "PAYMENT_NOT_FOUND",
        404,
        "No payment order with this id; check the payment link you were given.",
    ),
    "PAYMENT_NOTICE_INVALID": (
        "PAYMENT_NOTICE_INVALID",
        400,
        "The payment notification is malformed (details name the field); send the notice "
        "with every field as documented.",
    ),
    "PAYMENT_SIGNATURE_INVALID": (
        "PAYMENT_SIGNATURE_INVALID",
        401,
        "The notification is not signed by a payment provider (PROVIDER_ROLE on the "
        "VoucherBook); sign it with the provider key.",
    ),
    "PAYMENT_NOTICE_MISMATCH": (
        "PAYMENT_NOTICE_MISMATCH",
        400,
        "The notification does not match our payment order (payment, purchase or amount); "
        "check the order number and the amount.",
    ),
    "PAYMENT_NOTICE_STALE": (
        "PAYMENT_NOTICE_STALE",
        400,
        "The notification's sentAt is outside the accepted window; send a fresh notification.",
    ),
    "PAYMENTS_UNAVAILABLE": (
        "PAYMENTS_UNAVAILABLE",
        503,
        "Points + cash is not available here: this chain has no VoucherBook deployed.",
    ),
}
