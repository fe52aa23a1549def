"""Delivering the outbox: per endpoint strictly in order, endpoints in parallel, retried with
capped exponential backoff and jitter for ``RETRY_WINDOW`` (72 h, Stripe's window; the issue
asks ≥ 24 h).

Head of line: an endpoint's next delivery waits until the one before it succeeded (a 2xx)
or was abandoned when its window ran out (72 h since the event was queued for the endpoint,
retried all the while: the receiver is taken to be gone for that event, which stays listed
and can be replayed; a backlog behind a receiver dead for longer gives way event by event at
once, not one event per window), so a receiver sees its events in
chain order and, back after an outage, gets the backlog in order. Every attempt is recorded
(status code, error, duration). The HTTP POST is made outside any database transaction.

In parallel: each endpoint with a delivery due is one job of a bounded thread pool
(``workers``), so a receiver that is slow or times out holds one worker while the others
deliver on; in ``run`` the loop keeps collecting and dispatching while such a job runs. A job
first takes the endpoint's lease (one conditional ``UPDATE``, renewed when half of it has gone
and released when the job ends), so two workers never deliver to one endpoint at once,
whether they are threads of one deliverer or several deliverers on one database. A dead
worker's lease expires after ``LEASE_SECONDS`` of wall clock and another takes over.
More endpoints timing out at once than there are workers do make the others queue (raise
``TONGDUI_WEBHOOK_WORKERS``). Two deliverers' collectors on one PostgreSQL database may race:
the unique event id and (endpoint, event) key fail the later pass, which retries, so nothing
is made twice.
"""

from __future__ import annotations

import json
import logging
import math
import os
import random
import socket
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from .offchain import collect_offchain
from .outbox import collect
from .sessions import write_transaction
from .verify import HEADER, signature_header

log = logging.getLogger("tongdui.webhooks")

RETRY_WINDOW = 72 * 3600.0  # seconds from when a delivery was queued (Stripe's window)
FIRST_BACKOFF = 5.0
MAX_BACKOFF = 3600.0
TIMEOUT = 10.0
BATCH = 100  # deliveries per endpoint per job
WORKERS = 8  # endpoints delivered to at once by one deliverer
LEASE_SECONDS = 60.0  # > 2 × TIMEOUT: a job renews it when half of it has gone
SWEEP_EVERY = 3600.0  # seconds between retention sweeps of the loop
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


def attempt(
    endpoint: WebhookEndpoint, event: WebhookEvent, now: float, timeout: float = TIMEOUT
) -> Outcome:
    body = body_of(event)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Tongdui-Webhooks/1",
        "Tongdui-Event-Id": event.event_id,
        HEADER: signature_header(signing_secrets(endpoint, now), int(now), body),
    }
    return post(endpoint.url, body, headers, timeout)


def worker_name() -> str:
    """Names a deliverer in the lease column: host, process and instance."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Deliverer:
    """The loop of ``tongdui up``: fill the outbox from the index, deliver what is due to each
    endpoint in a pool of ``workers`` threads, and sweep old deliveries (``retention.py``)
    every ``SWEEP_EVERY`` seconds."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        chain_id: int,
        *,
        reorg_window: int = 64,
        poll_seconds: float = 1.0,
        workers: int = WORKERS,
        timeout: float = TIMEOUT,
        retention_days: float | None = None,
        name: str | None = None,
    ) -> None:
        from .retention import RETENTION_DAYS

        self.sessions, self.chain_id = sessions, chain_id
        self.reorg_window, self.poll_seconds = reorg_window, poll_seconds
        self.workers, self.timeout = workers, timeout
        self.retention_days = RETENTION_DAYS if retention_days is None else retention_days
        self.name = name or worker_name()
        self._busy: set[int] = set()  # endpoints with a job queued or running here
        self._busy_lock = threading.Lock()
        self._stop = threading.Event()
        self._last_sweep = -math.inf

    def run(self, stop: threading.Event) -> None:
        self._stop = stop
        pool = ThreadPoolExecutor(self.workers, thread_name_prefix="webhooks")
        try:
            while not stop.is_set():
                try:
                    self.collect()
                    for future in self.dispatch(pool):
                        future.add_done_callback(_log_failure)
                    self.sweep_if_due()
                except Exception:  # a bad pass must not end the loop; the next one retries
                    log.exception("webhook pass failed")
                stop.wait(self.poll_seconds)
        finally:  # a running job stops after its attempt in flight (it watches ``stop``)
            pool.shutdown(wait=True, cancel_futures=True)

    def run_once(self, now: float | None = None) -> int:
        """Collects, delivers what is due (endpoints in parallel) and waits for it; returns
        how many deliveries succeeded."""
        self.collect(now)
        with ThreadPoolExecutor(self.workers, thread_name_prefix="webhooks") as pool:
            delivered = sum(future.result() for future in self.dispatch(pool, now))
        self.sweep_if_due(now)
        return delivered

    def collect(self, now: float | None = None) -> int:
        """Fills the outbox: chain events up to the index's checkpoint, then the off-chain
        ones (orders rejected, risk interceptions); returns how many it added."""
        with write_transaction(self.sessions) as session:
            added = collect(session, self.chain_id, reorg_window=self.reorg_window, now=now)
            return added + collect_offchain(session, self.chain_id, now=now)

    def due_endpoints(self, now: float | None = None) -> list[int]:
        """Enabled endpoints whose oldest pending delivery is due and whose lease is free."""
        at, wall = (time.time() if now is None else now), time.time()
        heads = (
            select(
                WebhookDelivery.endpoint_id.label("endpoint_id"),
                func.min(WebhookDelivery.event_seq).label("event_seq"),
            )
            .where(WebhookDelivery.state == "pending")
            .group_by(WebhookDelivery.endpoint_id)
            .subquery()
        )
        with self.sessions() as session:
            return list(
                session.scalars(
                    select(heads.c.endpoint_id)
                    .join(
                        WebhookDelivery,
                        and_(
                            WebhookDelivery.endpoint_id == heads.c.endpoint_id,
                            WebhookDelivery.event_seq == heads.c.event_seq,
                        ),
                    )
                    .join(WebhookEndpoint, WebhookEndpoint.id == heads.c.endpoint_id)
                    .where(
                        WebhookDelivery.next_attempt_at <= at,
                        WebhookEndpoint.disabled_at.is_(None),
                        or_(
                            WebhookEndpoint.lease_until.is_(None),
                            WebhookEndpoint.lease_until < wall,
                        ),
                    )
                    .order_by(heads.c.endpoint_id)
                )
            )

    def dispatch(self, pool: ThreadPoolExecutor, now: float | None = None) -> list[Future[int]]:
        """One job per due endpoint that has none queued or running here."""
        futures = []
        for endpoint_id in self.due_endpoints(now):
            with self._busy_lock:
                if endpoint_id in self._busy:
                    continue
                self._busy.add(endpoint_id)
            futures.append(pool.submit(self._job, endpoint_id, now))
        return futures

    def _job(self, endpoint_id: int, now: float | None) -> int:
        try:
            return self.deliver_endpoint(endpoint_id, now)
        finally:
            with self._busy_lock:
                self._busy.discard(endpoint_id)

    def deliver_endpoint(self, endpoint_id: int, now: float | None = None) -> int:
        """Up to ``BATCH`` deliveries in order, under the endpoint's lease; 0 if another
        worker holds it."""
        if not self._claim(endpoint_id):
            return 0
        try:
            return self._deliver_leased(endpoint_id, now)
        finally:
            self._release(endpoint_id)

    def _deliver_leased(self, endpoint_id: int, now: float | None) -> int:
        delivered = 0
        renew_at = time.time() + LEASE_SECONDS / 2  # the claim just gave a whole lease
        for _ in range(BATCH):
            if self._stop.is_set():
                return delivered
            if time.time() >= renew_at:  # so every POST starts with ≥ half a lease left
                if not self._renew(endpoint_id):
                    return delivered  # it ran out: another worker may have it now
                renew_at = time.time() + LEASE_SECONDS / 2
            at = time.time() if now is None else now
            with self.sessions() as session:
                found = session.execute(
                    select(WebhookDelivery, WebhookEvent, WebhookEndpoint)
                    .join(WebhookEvent, WebhookEvent.seq == WebhookDelivery.event_seq)
                    .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
                    .where(
                        WebhookDelivery.endpoint_id == endpoint_id,
                        WebhookDelivery.state == "pending",
                    )
                    .order_by(WebhookDelivery.event_seq)
                    .limit(1)
                ).first()
                session.expunge_all()
            if found is None:
                return delivered
            head, event, endpoint = found  # a Row unpacks as its columns
            if head.next_attempt_at > at or endpoint.disabled_at is not None:
                return delivered
            outcome = attempt(endpoint, event, at, self.timeout)
            with write_transaction(self.sessions) as session:
                row = session.get_one(WebhookDelivery, head.id)
                record(session, row, outcome, at)
                if row.state != "succeeded":
                    return delivered
            delivered += 1
        return delivered

    def _claim(self, endpoint_id: int) -> bool:
        wall = time.time()
        with write_transaction(self.sessions) as session:
            claimed = session.execute(
                update(WebhookEndpoint)
                .where(
                    WebhookEndpoint.id == endpoint_id,
                    WebhookEndpoint.disabled_at.is_(None),
                    or_(WebhookEndpoint.lease_until.is_(None), WebhookEndpoint.lease_until < wall),
                )
                .values(lease_owner=self.name, lease_until=wall + LEASE_SECONDS)
                .execution_options(synchronize_session=False)
            )
            return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]

    def _renew(self, endpoint_id: int) -> bool:
        with write_transaction(self.sessions) as session:
            renewed = session.execute(
                update(WebhookEndpoint)
                .where(WebhookEndpoint.id == endpoint_id, WebhookEndpoint.lease_owner == self.name)
                .values(lease_until=time.time() + LEASE_SECONDS)
                .execution_options(synchronize_session=False)
            )
            return bool(renewed.rowcount == 1)  # type: ignore[attr-defined]

    def _release(self, endpoint_id: int) -> None:
        with write_transaction(self.sessions) as session:
            session.execute(
                update(WebhookEndpoint)
                .where(WebhookEndpoint.id == endpoint_id, WebhookEndpoint.lease_owner == self.name)
                .values(lease_owner=None, lease_until=None)
                .execution_options(synchronize_session=False)
            )

    def sweep_if_due(self, now: float | None = None) -> None:
        from .retention import sweep

        at = time.time() if now is None else now
        if at - self._last_sweep < SWEEP_EVERY:
            return
        self._last_sweep = at
        swept = sweep(
            self.sessions, at, keep_days=self.retention_days, reorg_window=self.reorg_window
        )
        if swept.deliveries:
            log.info("webhook retention: %d deliveries, %d attempts", *swept)


def _log_failure(future: Future[int]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("webhook delivery job failed", exc_info=future.exception())


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
    elif at - delivery.created_at >= RETRY_WINDOW:
        # counted from when the event was queued, not from its first attempt: behind a dead
        # endpoint every queued event has been waiting (and its endpoint failing) all along,
        # so a backlog older than the window gives way at once instead of one event per 72 h
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
    with write_transaction(sessions) as session:
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
