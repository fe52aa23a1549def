"""The errors of payments, each with its stable code (``core/error_codes_payments.py``)."""

from __future__ import annotations

from typing import Any

from ..core.error_codes import ErrorCode
from ..core.errors import AuthError, NotFoundError, TongduiError, ValidationError

NOT_FOUND = ErrorCode["PAYMENT_NOT_FOUND"]
NOTICE_INVALID = ErrorCode["PAYMENT_NOTICE_INVALID"]
SIGNATURE_INVALID = ErrorCode["PAYMENT_SIGNATURE_INVALID"]
NOTICE_MISMATCH = ErrorCode["PAYMENT_NOTICE_MISMATCH"]
NOTICE_STALE = ErrorCode["PAYMENT_NOTICE_STALE"]
UNAVAILABLE = ErrorCode["PAYMENTS_UNAVAILABLE"]


class PaymentNotFoundError(NotFoundError):
    code = NOT_FOUND


class NoticeRefused(ValidationError):
    """A notification we do not take: malformed, mismatched or stale (400), or not signed by
    a provider (401). Nothing is queued for any of them."""

    def __init__(self, code: ErrorCode, message: str | None = None, **details: Any) -> None:
        super().__init__(message or code.message, code=code, status=code.status, **details)


class NoticeUnauthorized(AuthError):
    code = SIGNATURE_INVALID


class PaymentsUnavailableError(TongduiError):
    code = UNAVAILABLE
