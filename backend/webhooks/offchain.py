"""``order.rejected`` from the relayer's own rows: an order rejected before it reached the
chain (expired in the queue, cancelled, refused by a reviewer) has no log for the index, and
one rejected on chain is already known here with its reason decoded. Read by when the row
changed (``updated_at``, indexed with the state), from a cursor, re-reading ``OFFCHAIN_SLACK``
seconds behind it for a rejection committed late; the event id (``outbox.offchain_id``) makes
a re-read add nothing.

Apart from ``outbox`` because it reads the relayer's tables, and the relayer's intake writes
``risk.intercepted`` events through ``outbox``.
"""

from __future__ import annotations

import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..relayer.models import REJECTED, RelayerOrder
from .models import WebhookEndpoint, WebhookOffchainCursor
from .outbox import ORDER_REJECTED, add_offchain

OFFCHAIN_SLACK = 60.0  # seconds re-read behind the cursor: a rejection committed late
OFFCHAIN_BATCH = 500


def collect_offchain(session: Session, chain_id: int, now: float | None = None) -> int:
    """One pass over the relayer's orders rejected since the cursor: an ``order.rejected``
    for the merchant of each token the order names. Returns how many events it added."""
    at = time.time() if now is None else now
    cursor = session.get(WebhookOffchainCursor, 1)
    if cursor is None:  # the first pass starts where the oldest endpoint starts hearing
        first = session.scalar(select(func.min(WebhookEndpoint.created_at)))
        cursor = WebhookOffchainCursor(id=1, updated_at=at if first is None else first)
        session.add(cursor)
    rows = session.scalars(
        select(RelayerOrder)
        .where(
            RelayerOrder.state == REJECTED,
            RelayerOrder.updated_at > cursor.updated_at - OFFCHAIN_SLACK,
        )
        .order_by(RelayerOrder.updated_at)
        .limit(OFFCHAIN_BATCH)
    ).all()
    added = 0
    for order in rows:
        data = {
            "orderHash": order.order_hash,
            "owner": order.owner,
            "fromToken": order.from_token,
            "toToken": order.to_token,
            "amountIn": str(order.amount_in),
            "code": order.reason_code,
            "message": order.reason_message,
            "onChain": order.block_number is not None,
        }
        for token in dict.fromkeys((order.from_token, order.to_token)):
            added += add_offchain(
                session,
                chain_id,
                ORDER_REJECTED,
                token,
                order.order_hash,
                data,
                order.updated_at,
                block_number=order.block_number if order.block_number is not None else -1,
                tx_hash=order.tx_hash or "",
            )
        cursor.updated_at = max(cursor.updated_at, order.updated_at)
    return added
