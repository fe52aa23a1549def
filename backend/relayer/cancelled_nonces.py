"""Telling a cancelled order from a used nonce when the chain says only ``NONCE_USED``.

Why: the exchange keeps one bitmap for used and cancelled nonces, so an order whose nonce the
owner cancelled (a ``CancelNonces`` that landed before the batch, or a direct
``cancelNonces``) is rejected on chain with ``ExchangeNonceUsed``. Shown as ``NONCE_USED`` it
told the owner that the nonce had been spent by some swap, which sends them looking for a swap
that never happened. Here the rejection is checked against the owner's cancellations (the
relayer's own first, then the chain's ``NoncesCancelled`` logs) and named ``ORDER_CANCELLED``.
"""

from __future__ import annotations

import json

from sqlalchemy import select

from ..core.error_codes import ErrorCode
from ..services import Services
from .models import REQ_FAILED, RelayerOrder, RelayerRequest
from .signed_requests import CANCELLED_MESSAGE, cancelled_by

Rejections = dict[str, tuple[str, str]]  # order hash → (code, message)


def _relayed_cancellation(services: Services, owner: str, nonce: int) -> bool:
    with services.sessions() as session:
        payloads = session.scalars(
            select(RelayerRequest.payload).where(
                RelayerRequest.owner == owner,
                RelayerRequest.kind == "cancel",
                RelayerRequest.state != REQ_FAILED,
            )
        ).all()
    for payload in payloads:
        request = json.loads(payload)
        if cancelled_by(nonce, int(request["word"]), int(request["mask"])):
            return True
    return False


def _cancelled_on_chain(services: Services, owner: str, nonce: int, block: int) -> bool:
    logs = services.platform.exchange.events.NoncesCancelled.get_logs(
        from_block=services.deployment.deployment_block,
        to_block=block,
        argument_filters={"owner": owner},
    )
    return any(
        cancelled_by(nonce, int(log["args"]["word"]), int(log["args"]["mask"])) for log in logs
    )


def nonce_cancelled(services: Services, owner: str, nonce: int, block: int) -> bool:
    """Whether ``owner`` cancelled ``nonce`` by signature or directly, up to ``block``."""
    return _relayed_cancellation(services, owner, nonce) or _cancelled_on_chain(
        services, owner, nonce, block
    )


def explain_rejections(services: Services, rejected: Rejections, block: int) -> Rejections:
    """``rejected`` with each ``NONCE_USED`` that a cancellation caused as ``ORDER_CANCELLED``.

    Reads before the caller's write transaction (it may ask the node for logs)."""
    used = [h for h, (code, _) in rejected.items() if code == ErrorCode.NONCE_USED]
    if not used:
        return rejected
    with services.sessions() as session:
        rows = session.execute(
            select(RelayerOrder.order_hash, RelayerOrder.owner, RelayerOrder.nonce).where(
                RelayerOrder.order_hash.in_(used)
            )
        ).all()
    explained = dict(rejected)
    for order_hash, owner, nonce in rows:
        if nonce_cancelled(services, owner, int(nonce), block):
            explained[order_hash] = (ErrorCode.ORDER_CANCELLED, CANCELLED_MESSAGE)
    return explained
