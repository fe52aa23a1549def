"""The errors a person can cause in a cross-chain swap, each with a stable code (the wallet
page shows ``i18n.js``'s text for it)."""

from __future__ import annotations

from ..core.error_codes import ErrorCode
from ..core.errors import NotFoundError, TongduiError, ValidationError


class CrossChainOffError(TongduiError):
    """This instance runs no coordinator (started without ``--cross-chain``): the resource is
    not here (404), not a server failing (a 5xx would page someone)."""

    code = ErrorCode.CROSSCHAIN_OFF


class QuoteExpiredError(ValidationError):
    code = ErrorCode.CROSSCHAIN_QUOTE_EXPIRED


class QuoteInvalidError(ValidationError):
    """A quote this bridge member did not sign as sent (altered amounts, another bridge)."""

    code = ErrorCode.CROSSCHAIN_QUOTE_INVALID


class LockSignatureError(ValidationError):
    """The user's signed Lock does not match the quote or is not the user's."""

    code = ErrorCode.CROSSCHAIN_BAD_LOCK


class InsufficientLiquidityError(ValidationError):
    """The bridge member holds too few points on B for this quote."""

    code = ErrorCode.CROSSCHAIN_NO_LIQUIDITY


class SwapNotFoundError(NotFoundError):
    code = ErrorCode.CROSSCHAIN_SWAP_NOT_FOUND


class WrongSecretError(ValidationError):
    """The secret does not hash to the swap's hashlock."""

    code = ErrorCode.CROSSCHAIN_WRONG_SECRET


class SwapStateError(ValidationError):
    """The swap is not in a state that accepts this request (claim before lock on B, ...)."""

    code = ErrorCode.CROSSCHAIN_NOT_CLAIMABLE
