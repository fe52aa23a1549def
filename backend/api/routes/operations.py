"""Operators and the operation log: a merchant's admin adds operators with roles and issues
them keys; the merchant reads its log entries; anyone may ask whether the chain verifies."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from ...core.db import transaction
from ...core.errors import ForbiddenError
from ...merchant.keys import ALL_SCOPES, Scope
from ...operations import oplog
from ...operations.record import logged
from ...operations.roles import (
    ROLE_SCOPES,
    Role,
    create_operator,
    create_operator_key,
    get_operator,
    list_operators,
    revoke_operator_key,
)
from ..auth import MerchantAuth, require
from ..deps import ServicesDep, SessionDep
from ..operations_schemas import (
    OperatorKeyCreated,
    OperatorRequest,
    OperatorView,
    OpLogPage,
    OpLogRow,
    OpLogVerification,
)
from ..schemas import errors

router = APIRouter(tags=["operators and operation log"])

_any_key = require(None)


def require_admin(auth: Annotated[MerchantAuth, Depends(_any_key)]) -> MerchantAuth:
    """Managing operators needs a key with every scope: an admin's or a full merchant key."""
    if not auth.scopes >= ALL_SCOPES:
        raise ForbiddenError(
            "managing operators needs an admin key (every scope); this key has: "
            f"{', '.join(sorted(auth.scopes))}",
            reason="not_admin",
        )
    return auth


AdminAuth = Annotated[MerchantAuth, Depends(require_admin)]


def _view(services: ServicesDep, token: str, operator_id: int) -> OperatorView:
    with services.sessions() as session:
        info = next(o for o in list_operators(session, token) if o.id == operator_id)
    return OperatorView(
        id=info.id,
        token=info.merchant_token,
        name=info.name,
        role=info.role,
        scopes=sorted(ROLE_SCOPES[Role(info.role)]),
        key_prefixes=list(info.key_prefixes),
    )


@router.post(
    "/merchants/{token}/operators",
    response_model=OperatorKeyCreated,
    responses=errors(400, 401, 403, 422),
    summary="Add an operator (admin, issuer, cashier, viewer) and issue its first key",
)
@logged("operator.create", target="name")
def add_operator(
    body: OperatorRequest, services: ServicesDep, auth: AdminAuth
) -> OperatorKeyCreated:
    with transaction(services.sessions) as session:
        operator = create_operator(session, auth.token, body.name, body.role)
        key = create_operator_key(session, operator)
        operator_id = operator.id
    return OperatorKeyCreated(operator=_view(services, auth.token, operator_id), key=key)


@router.post(
    "/merchants/{token}/operators/{operator_id}/keys",
    response_model=OperatorKeyCreated,
    responses=errors(401, 403, 404, 422),
    summary="Issue another key to an operator (shown once)",
)
@logged("operator.key.create")
def add_operator_key(
    operator_id: int, services: ServicesDep, auth: AdminAuth
) -> OperatorKeyCreated:
    with transaction(services.sessions) as session:
        key = create_operator_key(session, get_operator(session, auth.token, operator_id))
    return OperatorKeyCreated(operator=_view(services, auth.token, operator_id), key=key)


@router.post(
    "/merchants/{token}/operators/{operator_id}/keys/{prefix}/revoke",
    response_model=OperatorView,
    responses=errors(401, 403, 404, 422),
    summary="Revoke one of an operator's keys (it answers 401 from now on)",
)
@logged("operator.key.revoke")
def revoke_key(
    operator_id: int,
    prefix: Annotated[str, Path(min_length=1, max_length=32, pattern="^[0-9a-f]+$")],
    services: ServicesDep,
    auth: AdminAuth,
) -> OperatorView:
    with transaction(services.sessions) as session:
        revoke_operator_key(session, get_operator(session, auth.token, operator_id), prefix)
    return _view(services, auth.token, operator_id)


@router.get(
    "/merchants/{token}/operators",
    response_model=list[OperatorView],
    responses=errors(401, 403, 422),
    summary="The merchant's operators, their roles and live key prefixes",
)
def get_operators(
    session: SessionDep, auth: Annotated[MerchantAuth, Depends(require(Scope.READ))]
) -> list[OperatorView]:
    return [
        OperatorView(
            id=o.id,
            token=o.merchant_token,
            name=o.name,
            role=o.role,
            scopes=sorted(ROLE_SCOPES[Role(o.role)]),
            key_prefixes=list(o.key_prefixes),
        )
        for o in list_operators(session, auth.token)
    ]


@router.get(
    "/merchants/{token}/oplog",
    response_model=OpLogPage,
    responses=errors(401, 403, 422),
    summary="The merchant's entries of the operation log, oldest first",
)
def get_oplog(
    session: SessionDep,
    auth: Annotated[MerchantAuth, Depends(require(Scope.READ))],
    after: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> OpLogPage:
    rows = oplog.read(session, auth.token, after=after, limit=limit)
    return OpLogPage(
        entries=[OpLogRow(**oplog.as_dict(r)) for r in rows],
        next_after=rows[-1].seq if len(rows) == limit else None,
    )


@router.get(
    "/audit/oplog/verify",
    response_model=OpLogVerification,
    summary="Recompute the operation log's hash chain; the first broken link if any",
)
def verify_oplog(session: SessionDep) -> OpLogVerification:
    result = oplog.verify(session)
    return OpLogVerification(
        ok=result.ok,
        entries=result.entries,
        head_hash=result.head_hash,
        broken_at=result.broken_at,
        reason=result.reason,  # type: ignore[arg-type]
    )
