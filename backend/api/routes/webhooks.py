"""Merchant API: webhook endpoints, their deliveries and replays, under
``/merchants/{token}/webhooks``. Managing (register, rotate, disable, replay) needs the
``webhooks`` scope, since a secret signs what the receiver trusts; listing needs ``read``.
The delivery itself is the ``webhooks`` loop of ``tongdui up`` (``webhooks/delivery.py``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from ...core.db import transaction
from ...merchant.keys import Scope
from ...webhooks import endpoints
from ...webhooks.delivery import replay
from ..auth import MerchantAuth, require
from ..deps import ServicesDep, SessionDep
from ..schemas import errors
from ..webhook_schemas import (
    Delivery,
    Endpoint,
    EndpointRequest,
    EndpointWithSecret,
    ReplayResult,
)

router = APIRouter(prefix="/merchants/{token}/webhooks", tags=["merchant webhooks"])

READ = Annotated[MerchantAuth, Depends(require(Scope.READ))]
MANAGE = Annotated[MerchantAuth, Depends(require(Scope.WEBHOOKS))]
WRITE_ERRORS = errors(400, 401, 403, 404, 422)
READ_ERRORS = errors(401, 403, 404, 422)


def _with_secret(created: endpoints.CreatedSecret) -> EndpointWithSecret:
    return EndpointWithSecret(endpoint=Endpoint(**created.endpoint), secret=created.secret)


@router.get("", response_model=list[Endpoint], responses=READ_ERRORS, summary="The endpoints")
def list_endpoints(session: SessionDep, auth: READ) -> list[dict[str, Any]]:
    return endpoints.list_endpoints(session, auth.token)


@router.post(
    "",
    response_model=EndpointWithSecret,
    responses=WRITE_ERRORS,
    summary="Register an endpoint; the answer shows its signing secret once",
)
def create_endpoint(
    body: EndpointRequest, services: ServicesDep, auth: MANAGE
) -> EndpointWithSecret:
    with transaction(services.sessions) as session:
        created = endpoints.create_endpoint(session, auth.token, body.url, list(body.event_types))
    return _with_secret(created)


@router.post(
    "/{endpoint_id}/rotate",
    response_model=EndpointWithSecret,
    responses=WRITE_ERRORS,
    summary="A new secret (shown once); the old one also signs for 24 h",
)
def rotate(endpoint_id: int, services: ServicesDep, auth: MANAGE) -> EndpointWithSecret:
    with transaction(services.sessions) as session:
        created = endpoints.rotate_secret(session, auth.token, endpoint_id)
    return _with_secret(created)


@router.delete("/{endpoint_id}", response_model=Endpoint, responses=WRITE_ERRORS, summary="Disable")
def disable(endpoint_id: int, services: ServicesDep, auth: MANAGE) -> dict[str, Any]:
    with transaction(services.sessions) as session:
        return endpoints.disable_endpoint(session, auth.token, endpoint_id)


@router.get(
    "/{endpoint_id}/deliveries",
    response_model=list[Delivery],
    responses=READ_ERRORS,
    summary="The newest 100 deliveries with their attempts",
)
def deliveries(endpoint_id: int, session: SessionDep, auth: READ) -> list[dict[str, Any]]:
    return endpoints.list_deliveries(session, auth.token, endpoint_id)


@router.post(
    "/deliveries/{delivery_id}/replay",
    response_model=ReplayResult,
    responses=WRITE_ERRORS,
    summary="Send one delivery again now (receivers dedupe by event id)",
)
def replay_delivery(delivery_id: int, services: ServicesDep, auth: MANAGE) -> ReplayResult:
    with services.sessions() as session:
        endpoints.delivery_of(session, auth.token, delivery_id)
    outcome = replay(services.sessions, delivery_id)
    return ReplayResult(
        ok=outcome.ok,
        status_code=outcome.status_code,
        error=outcome.error,
        duration_ms=outcome.duration_ms,
    )
