"""A rejected order in an address's history, told by its stable code and a sentence.

Why: ``OrderRejected`` carries the 4-byte selector of the error the order raised, and the
history showed it raw (``0x14ee7258``), which no person and no client can act on. And the
exchange's one bitmap for used and cancelled nonces makes a cancelled order's rejection
``NONCE_USED``: when the owner's own cancellation (``NoncesCancelled``, indexed as a
``used_nonces`` row of source ``cancel``) set that bit before the rejection, the code is
``ORDER_CANCELLED``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from ..chain.errors import code_for_selector, message_for
from ..core.error_codes import ErrorCode
from ..indexer.models import UsedNonce

CANCELLED = ErrorCode.ORDER_CANCELLED
CANCELLED_MESSAGE = "The owner cancelled this order's nonce before it was settled."


def cancelled_before(
    session: Session, owner: str, nonce: int, block_number: int, log_index: int
) -> bool:
    """Whether a cancellation of ``owner`` covering ``nonce`` precedes the given event."""
    masks = session.scalars(
        select(UsedNonce.mask).where(
            UsedNonce.owner == owner,
            UsedNonce.word == str(nonce >> 8),
            UsedNonce.source == "cancel",
            tuple_(UsedNonce.block_number, UsedNonce.log_index) < (block_number, log_index),
        )
    ).all()
    return any(int(mask, 16) >> (nonce & 0xFF) & 1 for mask in masks)


def explain(
    session: Session, owner: str, swap: dict[str, Any], block_number: int, log_index: int
) -> dict[str, Any]:
    """The rejected item's ``swap`` part with ``reason`` as a code, ``reasonMessage`` and the
    raw ``reasonSelector``."""
    selector = str(swap.get("reason") or "0x")
    code = (
        code_for_selector(bytes.fromhex(selector[2:]))
        if len(selector) == 10
        else ErrorCode.UNKNOWN_ERROR
    )
    nonce = int(swap.get("nonce") or 0)
    if code == ErrorCode.NONCE_USED and cancelled_before(
        session, owner, nonce, block_number, log_index
    ):
        code, message = CANCELLED, CANCELLED_MESSAGE
    else:
        message = message_for(code, "The order failed on chain; sign a new order.")
    return {**swap, "reason": code, "reasonMessage": message, "reasonSelector": selector}
