"""The voucher codes by name, typed: they are members of ``ErrorCode`` made in a loop
(``core/voucher_error_codes.py``), which a type checker cannot see as attributes.

``CHAIN_ALIASES``: a rejection on chain whose condition intake names otherwise answers with
intake's code (a client switches on one code per condition).
"""

from __future__ import annotations

from ..core.error_codes import ErrorCode

UNKNOWN_PRODUCT = ErrorCode["VOUCHER_UNKNOWN_PRODUCT"]
PRODUCT_PAUSED = ErrorCode["VOUCHER_PRODUCT_PAUSED"]
SALE_ENDED = ErrorCode["VOUCHER_SALE_ENDED"]
SOLD_OUT = ErrorCode["VOUCHER_SOLD_OUT"]
PER_USER_LIMIT = ErrorCode["VOUCHER_PER_USER_LIMIT"]
LIMIT_REACHED = ErrorCode["VOUCHER_LIMIT_REACHED"]
INSUFFICIENT_POINTS = ErrorCode["VOUCHER_INSUFFICIENT_POINTS"]
CASH_ABOVE_PRICE = ErrorCode["VOUCHER_CASH_ABOVE_PRICE"]
POINTS_NOT_NEEDED = ErrorCode["VOUCHER_POINTS_NOT_NEEDED"]
REQUEST_EXPIRED = ErrorCode["VOUCHER_REQUEST_EXPIRED"]
NONCE_USED = ErrorCode["VOUCHER_NONCE_USED"]
INVALID_SIGNER = ErrorCode["VOUCHER_INVALID_SIGNER"]
PURCHASE_NOT_FOUND = ErrorCode["VOUCHER_PURCHASE_NOT_FOUND"]
NOT_FOUND = ErrorCode["VOUCHER_NOT_FOUND"]
NOT_ACTIVE = ErrorCode["VOUCHER_NOT_ACTIVE"]
HAS_EXPIRED = ErrorCode["VOUCHER_HAS_EXPIRED"]
NOT_HOLDER = ErrorCode["VOUCHER_NOT_HOLDER"]
WRONG_MERCHANT = ErrorCode["VOUCHER_WRONG_MERCHANT"]
REDEMPTION_EXPIRED = ErrorCode["VOUCHER_REDEMPTION_EXPIRED"]
INVALID_TERMS = ErrorCode["VOUCHER_INVALID_TERMS"]

CHAIN_ALIASES: dict[ErrorCode, ErrorCode] = {PER_USER_LIMIT: LIMIT_REACHED}
