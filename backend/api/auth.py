"""Merchant API authentication: ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``;
and the consortium reviewers' (``require_consortium``: a ``tdc_…`` key, ``X-Consortium-Key``).

``require(scope)`` makes a dependency for a route under ``/merchants/{token}/…``: the key must
be valid and not revoked (else 401), belong to the merchant of ``{token}`` and carry ``scope``
(else 403). Keys are checked against their SHA-256 hash and never logged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from ..core.errors import AuthError, ForbiddenError
from ..merchant.keys import Scope, authenticate
from ..onboarding.keys import authenticate_consortium
from .deps import SessionDep
from .schemas import Address

_bearer = HTTPBearer(auto_error=False, description="a merchant API key: tdk_<prefix>_<secret>")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="the same key, as a header")

MerchantToken = Annotated[Address, Path(description="the merchant's points token address")]


@dataclass(frozen=True, slots=True)
class MerchantAuth:
    """Who is calling: the merchant's points token, the key's prefix and scopes."""

    token: str
    key_prefix: str
    scopes: frozenset[str]


def require(scope: Scope | None) -> Callable[..., MerchantAuth]:
    """A dependency admitting only keys of ``{token}``'s merchant with ``scope``; with None,
    any valid key of that merchant (a key may always learn its own scopes)."""

    def dependency(
        token: MerchantToken,
        session: SessionDep,
        bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
        header: Annotated[str | None, Depends(_header)],
    ) -> MerchantAuth:
        presented = bearer.credentials if bearer is not None else header
        if not presented:
            raise AuthError(
                "this merchant endpoint needs an API key: send `Authorization: Bearer <key>` "
                "or `X-API-Key: <key>`",
                reason="missing",
            )
        row = authenticate(session, presented)
        if row.merchant_token != token:
            raise ForbiddenError(
                f"this API key belongs to the merchant of {row.merchant_token}, not of {token}",
                reason="wrong_merchant",
            )
        if scope is not None and scope.value not in row.scope_set:
            raise ForbiddenError(
                f"this API key lacks the `{scope.value}` scope (it has: "
                f"{', '.join(sorted(row.scope_set))}); ask for a key with that scope",
                reason="missing_scope",
                scope=scope.value,
            )
        return MerchantAuth(token, row.prefix, row.scope_set)

    dependency.__name__ = f"merchant_key_{scope.value if scope else 'any'}"
    return dependency


# ── consortium reviewers (onboarding review) ─────────────────────────────────────────────
_consortium_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="ConsortiumKey",
    description="a consortium reviewer's key: tdc_<prefix>_<secret> (`tongdui consortium-key "
    "create`)",
)
_consortium_header = APIKeyHeader(
    name="X-Consortium-Key",
    auto_error=False,
    scheme_name="ConsortiumKeyHeader",
    description="the same key, as a header",
)


@dataclass(frozen=True, slots=True)
class ConsortiumAuth:
    """Who is reviewing: the key's prefix and label, the member it acts for. ``token`` is
    None: a consortium action belongs to no merchant (the operation log files it so)."""

    key_prefix: str
    member: str
    label: str
    token: None = None


def require_consortium(
    session: SessionDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_consortium_bearer)],
    header: Annotated[str | None, Depends(_consortium_header)],
) -> ConsortiumAuth:
    """A dependency admitting a live consortium key (else 401)."""
    presented = bearer.credentials if bearer is not None else header
    if not presented:
        raise AuthError(
            "this consortium endpoint needs a reviewer's key: send `Authorization: Bearer "
            "tdc_…` or `X-Consortium-Key: tdc_…`",
            reason="missing",
        )
    row = authenticate_consortium(session, presented)
    return ConsortiumAuth(row.prefix, row.member, row.label)


ConsortiumDep = Annotated[ConsortiumAuth, Depends(require_consortium)]
