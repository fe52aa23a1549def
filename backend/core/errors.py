"""One exception tree for Tongdui (as web3.py's ``exceptions.py``): a root ``TongduiError``
and subclasses that also subclass the matching built-in, each with a stable ``code`` that the
API returns and a message that tells a person what to do."""

from __future__ import annotations

from typing import Any


class TongduiError(Exception):
    """Root of every error Tongdui raises on purpose."""

    code = "TONGDUI_ERROR"
    status = 500

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details


class ConfigurationError(TongduiError, ValueError):
    """Settings or files are missing or inconsistent."""

    code = "CONFIGURATION_ERROR"


class ChainUnavailableError(TongduiError, ConnectionError):
    """The JSON-RPC node cannot be reached."""

    code = "CHAIN_UNAVAILABLE"
    status = 503


class DeploymentNotFoundError(TongduiError, LookupError):
    """No deployment file for the node's chain id."""

    code = "DEPLOYMENT_NOT_FOUND"
    status = 503


class ValidationError(TongduiError, ValueError):
    """A request that can never succeed as sent (4xx)."""

    code = "INVALID_REQUEST"
    status = 400


class NotFoundError(TongduiError, LookupError):
    code = "NOT_FOUND"
    status = 404


class AuthError(TongduiError, PermissionError):
    code = "UNAUTHORIZED"
    status = 401


class ForbiddenError(TongduiError, PermissionError):
    code = "FORBIDDEN"
    status = 403


class ContractRevertError(TongduiError, RuntimeError):
    """A contract call reverted with a custom error, decoded to a stable code."""

    code = "CONTRACT_REVERT"
    status = 422
