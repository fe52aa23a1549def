"""A merchant's endpoints: registering one (its secret is answered once), rotating the
secret (the old one keeps signing beside the new for ``ROTATION_GRACE``), disabling, and the
listings of deliveries with their attempts."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.error_codes import ErrorCode
from ..core.errors import NotFoundError, ValidationError
from ..indexer.models import IndexCheckpoint
from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from .outbox import EVENT_TYPES

ROTATION_GRACE = 24 * 3600.0  # seconds the previous secret still signs after a rotation
SECRET_PREFIX = "whsec_"


@dataclass(frozen=True, slots=True)
class CreatedSecret:
    """An endpoint and its secret: the only answer that carries the secret."""

    endpoint: dict[str, Any]
    secret: str


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def describe(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {
        "id": endpoint.id,
        "url": endpoint.url,
        "event_types": endpoint.event_types.split(","),
        "created_at": endpoint.created_at,
        "disabled": endpoint.disabled_at is not None,
        "previous_secret_valid_until": endpoint.previous_valid_until,
    }


def _checked(url: str, event_types: list[str]) -> tuple[str, str]:
    parsed = urlparse(url)
    unknown = sorted(set(event_types) - set(EVENT_TYPES))
    if parsed.scheme not in ("http", "https") or not parsed.netloc or not event_types or unknown:
        raise ValidationError(
            f"Give an http(s) URL and event types from {', '.join(EVENT_TYPES)}"
            + (f" (unknown: {', '.join(unknown)})" if unknown else ""),
            code=ErrorCode.WEBHOOK_INVALID,
        )
    return url, ",".join(sorted(set(event_types)))


def create_endpoint(
    session: Session, merchant_token: str, url: str, event_types: list[str]
) -> CreatedSecret:
    """An endpoint hears events above the index's checkpoint now: no history is replayed."""
    url, kinds = _checked(url, event_types)
    secret = new_secret()
    checkpoint = session.get(IndexCheckpoint, 1)
    endpoint = WebhookEndpoint(
        from_block=checkpoint.block_number if checkpoint is not None else -1,
        merchant_token=merchant_token,
        url=url,
        event_types=kinds,
        secret=secret,
        created_at=time.time(),
    )
    session.add(endpoint)
    session.flush()
    return CreatedSecret(describe(endpoint), secret)


def get_endpoint(session: Session, merchant_token: str, endpoint_id: int) -> WebhookEndpoint:
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or endpoint.merchant_token != merchant_token:
        raise NotFoundError(
            f"This merchant has no webhook endpoint {endpoint_id}: list them to see their ids",
            code=ErrorCode.WEBHOOK_NOT_FOUND,
        )
    return endpoint


def rotate_secret(
    session: Session, merchant_token: str, endpoint_id: int, now: float | None = None
) -> CreatedSecret:
    at = time.time() if now is None else now
    endpoint = get_endpoint(session, merchant_token, endpoint_id)
    endpoint.previous_secret, endpoint.previous_valid_until = endpoint.secret, at + ROTATION_GRACE
    endpoint.secret = new_secret()
    return CreatedSecret(describe(endpoint), endpoint.secret)


def disable_endpoint(session: Session, merchant_token: str, endpoint_id: int) -> dict[str, Any]:
    endpoint = get_endpoint(session, merchant_token, endpoint_id)
    endpoint.disabled_at = endpoint.disabled_at or time.time()
    return describe(endpoint)


def list_endpoints(session: Session, merchant_token: str) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(WebhookEndpoint)
        .where(WebhookEndpoint.merchant_token == merchant_token)
        .order_by(WebhookEndpoint.id)
    )
    return [describe(r) for r in rows]


def list_deliveries(
    session: Session, merchant_token: str, endpoint_id: int, limit: int = 100
) -> list[dict[str, Any]]:
    """Newest first, each with its event id and type and every attempt."""
    get_endpoint(session, merchant_token, endpoint_id)
    rows = session.execute(
        select(WebhookDelivery, WebhookEvent)
        .join(WebhookEvent, WebhookEvent.seq == WebhookDelivery.event_seq)
        .where(WebhookDelivery.endpoint_id == endpoint_id)
        .order_by(WebhookDelivery.event_seq.desc())
        .limit(limit)
    ).all()
    ids = [d.id for d, _ in rows]
    attempts: dict[int, list[dict[str, Any]]] = {}
    for a in session.scalars(
        select(WebhookAttempt)
        .where(WebhookAttempt.delivery_id.in_(ids))
        .order_by(WebhookAttempt.id)
    ):
        attempts.setdefault(a.delivery_id, []).append(
            {
                "at": a.at,
                "status_code": a.status_code,
                "error": a.error,
                "duration_ms": round(a.duration_ms, 3),
            }
        )
    return [
        {
            "id": d.id,
            "event_id": e.event_id,
            "type": e.kind,
            "reverses": e.reverses,
            "state": d.state,
            "next_attempt_at": d.next_attempt_at if d.state == "pending" else None,
            "attempts": attempts.get(d.id, []),
        }
        for d, e in rows
    ]


def delivery_of(session: Session, merchant_token: str, delivery_id: int) -> WebhookDelivery:
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is not None:
        endpoint = session.get(WebhookEndpoint, delivery.endpoint_id)
        if endpoint is not None and endpoint.merchant_token == merchant_token:
            return delivery
    raise NotFoundError(
        f"This merchant has no webhook delivery {delivery_id}",
        code=ErrorCode.WEBHOOK_NOT_FOUND,
    )
