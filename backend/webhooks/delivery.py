"""Delivering the outbox: per endpoint strictly in order, retried with capped exponential
backoff and jitter for ``RETRY_WINDOW`` (72 h, Stripe's window; the issue asks ≥ 24 h).

Head of line: an endpoint's next delivery waits until the one before it succeeded (a 2xx)
or was abandoned when its window ran out, so a receiver sees its events in chain order and,
back after an outage, gets the backlog in order. Every attempt is recorded (status code,
error, duration). The HTTP POST is made outside any database transaction.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ..core.db import transaction
from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from .offchain import collect_offchain
from .outbox import collect
from .verify import HEADER, signature_header

log = logging.getLogger("tongdui.webhooks")

RETRY_WINDOW = 72 * 3600.0  # seconds from a delivery's first attempt
FIRST_BACKOFF = 5.0
MAX_BACKOFF = 3600.0
TIMEOUT = 10.0
BATCH = 100  # deliveries per endpoint per pass
_JITTER = random.Random()


def backoff(attempts: int, rng: random.Random | None = None) -> float:
    """Seconds before the next try: 5 s doubling, capped at an hour, ±20 % jitter (so
    endpoints that failed together do not retry together)."""
    base = min(MAX_BACKOFF, FIRST_BACKOFF * (1 << min(20, max(0, attempts - 1))))
    return base * (rng or _JITTER).uniform(0.8, 1.2)


def body_of(event: WebhookEvent) -> bytes:
    """The delivered JSON: the same bytes on every attempt of one event."""
    payload: dict[str, Any] = {
        "id": event.event_id,
        "type": event.kind,
        "created": int(event.created_at),
        "merchant": event.merchant_token,
        "block_number": event.block_number,
        "block_hash": event.block_hash,
        "tx_hash": event.tx_hash,
        "log_index": event.log_index,
        "reverses": event.reverses,
        "data": event.data,
    }
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def signing_secrets(endpoint: WebhookEndpoint, now: float) -> list[str]:
    """The current secret, and the previous one during a rotation's grace period."""
    valid = [endpoint.secret]
    if endpoint.previous_secret and (endpoint.previous_valid_until or 0) > now:
        valid.append(endpoint.previous_secret)
    return valid


@dataclass(frozen=True, slots=True)
class Outcome:
    status_code: int | None
    error: str | None
    duration_ms: float

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(url: str, body: bytes, headers: dict[str, str], timeout: float = TIMEOUT) -> Outcome:
    started = time.perf_counter()
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    status: int | None = None
    error: str | None = None
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            status = int(answer.status)
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    return Outcome(status, error, (time.perf_counter() - started) * 1000)


def attempt(endpoint: WebhookEndpoint, event: WebhookEvent, now: float) -> Outcome:
    body = body_of(event)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Tongdui-Webhooks/1",
        "Tongdui-Event-Id": event.event_id,
        HEADER: signature_header(signing_secrets(endpoint, now), int(now), body),
    }
    return post(endpoint.url, body, headers)


class Deliverer:
    """The loop of ``tongdui up``: fill the outbox from the index, then deliver."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        chain_id: int,
        *,
        reorg_window: int = 64,
        poll_seconds: float = 1.0,
    ) -> None:
        self.sessions, self.chain_id = sessions, chain_id
        self.reorg_window, self.poll_seconds = reorg_window, poll_seconds

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.run_once()
            except Exception:  # a bad pass must not end the loop; the next one retries
                log.exception("webhook pass failed")
            stop.wait(self.poll_seconds)

    def run_once(self, now: float | None = None) -> int:
        """Collects, then delivers what is due; returns how many deliveries succeeded."""
        with transaction(self.sessions) as session:
            collect(session, self.chain_id, reorg_window=self.reorg_window, now=now)
            collect_offchain(session, self.chain_id, now=now)
            endpoint_ids = list(
                session.scalars(
                    select(WebhookDelivery.endpoint_id)
                    .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
                    .where(
                        WebhookDelivery.state == "pending", WebhookEndpoint.disabled_at.is_(None)
                    )
                    .distinct()
                )
            )
        return sum(self.deliver_endpoint(e, now) for e in endpoint_ids)

    def deliver_endpoint(self, endpoint_id: int, now: float | None = None) -> int:
        delivered = 0
        for _ in range(BATCH):
            at = time.time() if now is None else now
            with self.sessions() as session:
                head = session.scalars(
                    select(WebhookDelivery)
                    .where(
                        WebhookDelivery.endpoint_id == endpoint_id,
                        WebhookDelivery.state == "pending",
                    )
                    .order_by(WebhookDelivery.event_seq)
                    .limit(1)
                ).first()
                if head is None or head.next_attempt_at > at:
                    return delivered
                endpoint = session.get_one(WebhookEndpoint, endpoint_id)
                event = session.get_one(WebhookEvent, head.event_seq)
                session.expunge_all()
            outcome = attempt(endpoint, event, at)
            with transaction(self.sessions) as session:
                row = session.get_one(WebhookDelivery, head.id)
                record(session, row, outcome, at)
                if row.state != "succeeded":
                    return delivered
            delivered += 1
        return delivered


def record(session: Session, delivery: WebhookDelivery, outcome: Outcome, at: float) -> None:
    """Writes the attempt and moves the delivery on: succeeded, retry later, or abandoned."""
    session.add(
        WebhookAttempt(
            delivery_id=delivery.id,
            at=at,
            status_code=outcome.status_code,
            error=outcome.error,
            duration_ms=outcome.duration_ms,
        )
    )
    delivery.attempts += 1
    delivery.first_attempt_at = delivery.first_attempt_at or at
    if outcome.ok:
        delivery.state, delivery.finished_at = "succeeded", at
    elif at - delivery.first_attempt_at >= RETRY_WINDOW:
        delivery.state, delivery.finished_at = "abandoned", at
    else:
        delivery.next_attempt_at = at + backoff(delivery.attempts)


def replay(sessions: sessionmaker[Session], delivery_id: int, now: float | None = None) -> Outcome:
    """Sends one delivery again now, out of turn (the merchant asked); an abandoned one that
    now succeeds counts as succeeded. A pending one keeps its place in the queue."""
    at = time.time() if now is None else now
    with sessions() as session:
        delivery = session.get_one(WebhookDelivery, delivery_id)
        endpoint = session.get_one(WebhookEndpoint, delivery.endpoint_id)
        event = session.get_one(WebhookEvent, delivery.event_seq)
        session.expunge_all()
    outcome = attempt(endpoint, event, at)
    with transaction(sessions) as session:
        row = session.get_one(WebhookDelivery, delivery_id)
        session.add(
            WebhookAttempt(
                delivery_id=row.id,
                at=at,
                status_code=outcome.status_code,
                error=outcome.error,
                duration_ms=outcome.duration_ms,
            )
        )
        row.attempts += 1
        if outcome.ok and row.state != "succeeded":
            row.state, row.finished_at = "succeeded", at
    return outcome


def pending_count(session: Session) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(WebhookDelivery)
            .where(WebhookDelivery.state == "pending")
        )
        or 0
    )
