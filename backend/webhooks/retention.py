"""How long deliveries are kept: a succeeded delivery and its attempts go ``keep_days`` (30 by
default, ``TONGDUI_WEBHOOK_RETENTION_DAYS``) after it succeeded; the deliverer's loop sweeps
hourly and ``tongdui webhooks sweep`` does it by hand.

What stays, and why:
- pending deliveries (not delivered yet) and abandoned ones (the merchant may still replay
  them; an endpoint abandons at most one per ``RETRY_WINDOW``, so they stay few);
- each endpoint's newest delivery, so its listing always shows where it stands;
- deliveries of events within ``reorg_window`` blocks of the outbox's cursor: a reorg there
  sends reversals to the endpoints that heard the undone event, known by these rows;
- every outbox event (``webhook_events``): its id is the outbox's memory that the chain event
  was already made into a webhook. Ids are derived from chain coordinates, so a re-scan (a
  reorg's step back, a lost cursor) finds the same log again; without the row it would make
  the event again and send it again. One small row per watched log, as the index keeps one;
  deliveries (× endpoints) and attempts (× retries) are what grew faster, and they go.
"""

from __future__ import annotations

import time
from typing import NamedTuple

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from .models import WebhookAttempt, WebhookCursor, WebhookDelivery, WebhookEvent
from .sessions import write_transaction

RETENTION_DAYS = 30.0
SWEEP_BATCH = 1_000  # deliveries per transaction, so a first sweep of a long history is short


class Swept(NamedTuple):
    deliveries: int
    attempts: int


def sweep(
    sessions: sessionmaker[Session],
    now: float | None = None,
    *,
    keep_days: float = RETENTION_DAYS,
    reorg_window: int = 64,
) -> Swept:
    """Deletes the succeeded deliveries (and their attempts) older than ``keep_days``."""
    cutoff = (time.time() if now is None else now) - keep_days * 86_400
    with sessions() as session:
        cursor = session.get(WebhookCursor, 1)
        if cursor is None:  # nothing collected yet
            return Swept(0, 0)
        below = cursor.block_number - reorg_window
        newest = list(
            session.scalars(
                select(func.max(WebhookDelivery.id)).group_by(WebhookDelivery.endpoint_id)
            )
        )
    deliveries = attempts = 0
    while True:
        with write_transaction(sessions) as session:
            ids = list(
                session.scalars(
                    select(WebhookDelivery.id)
                    .join(WebhookEvent, WebhookEvent.seq == WebhookDelivery.event_seq)
                    .where(
                        WebhookDelivery.state == "succeeded",
                        WebhookDelivery.finished_at < cutoff,
                        WebhookEvent.block_number <= below,
                        WebhookDelivery.id.not_in(newest),
                    )
                    .order_by(WebhookDelivery.id)
                    .limit(SWEEP_BATCH)
                )
            )
            if ids:
                gone = session.execute(
                    delete(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(ids))
                )
                attempts += _count(gone)
                gone = session.execute(delete(WebhookDelivery).where(WebhookDelivery.id.in_(ids)))
                deliveries += _count(gone)
        if len(ids) < SWEEP_BATCH:
            return Swept(deliveries, attempts)


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
