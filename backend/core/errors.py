"""One exception tree for Tongdui (as web3.py's ``exceptions.py``): a root ``TongduiError``
and subclasses that also subclass the matching built-in, each with a stable ``code`` (an
:class:`~.error_codes.ErrorCode`) that the API returns and a message that tells a person what
to do.

``status`` is a field of the error, fixed when it is made: a class answers its code's
catalogue status unless it says otherwise, and one error may be given its own ``status=``
(a refusal answers its code's status: ``relayer.intake.refuse``)."""

from __future__ import annotations

from typing import Any

from .error_codes import ErrorCode


class TongduiError(Exception):
    """Root of every error Tongdui raises on purpose."""

    code: ErrorCode = ErrorCode.TONGDUI_ERROR
    status: int = ErrorCode.TONGDUI_ERROR.status

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A class that names its code and no status answers the code's catalogue status."""
        super().__init_subclass__(**kwargs)
        if "code" in cls.__dict__ and "status" not in cls.__dict__:
            cls.status = cls.code.status

    def __init__(
        self,
        message: str,
        *,
        code: ErrorCode | None = None,
        status: int | None = None,
        **details: Any,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.details = details


class ConfigurationError(TongduiError, ValueError):
    """Settings or files are missing or inconsistent."""

    code = ErrorCode.CONFIGURATION_ERROR


class ChainUnavailableError(TongduiError, ConnectionError):
    """The JSON-RPC node cannot be reached."""

    code = ErrorCode.CHAIN_UNAVAILABLE


class DeploymentNotFoundError(TongduiError, LookupError):
    """No deployment file for the node's chain id."""

    code = ErrorCode.DEPLOYMENT_NOT_FOUND


class ValidationError(TongduiError, ValueError):
    """A request that can never succeed as sent (4xx)."""

    code = ErrorCode.INVALID_REQUEST


class NotFoundError(TongduiError, LookupError):
    code = ErrorCode.NOT_FOUND


class AuthError(TongduiError, PermissionError):
    code = ErrorCode.UNAUTHORIZED


class ForbiddenError(TongduiError, PermissionError):
    code = ErrorCode.FORBIDDEN


class ContractRevertError(TongduiError, RuntimeError):
    """A contract call reverted with a custom error, decoded to a stable code; answers 422
    whatever the code (the transaction was sent and refused, not the request)."""

    code = ErrorCode.CONTRACT_REVERT
