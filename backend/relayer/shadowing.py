"""A stored order that a bad copy made useless gives way to the real signature.

Why: intake keys orders by their EIP-712 digest, which does not cover the signature. Before
intake took only the signatures the contract takes (``chain.signature_rules``), a stranger could
post a v-shifted copy of someone's order first: it was stored, rejected on chain with
``INVALID_SIGNER`` (nonce unused), and the owner's real post answered ``200`` with that dead
row. Such rows may still be in a database; and whatever the cause, a row rejected for its
signature says nothing about another signature of the same order. So when a different,
valid signature arrives for it, the order is checked again like a new one and queued anew.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, update

from ..core.error_codes import ErrorCode
from .models import REJECTED, RelayerOrder

# Rejections that belong to the stored signature, not to the order.
SIGNATURE_REJECTIONS = frozenset({ErrorCode.INVALID_SIGNER, ErrorCode.INVALID_SIGNATURE})

_T = RelayerOrder.__table__.c
_REVIVE = (
    update(RelayerOrder)
    .where(_T.order_hash == bindparam("b_order_hash"), _T.state == REJECTED)
    .values(
        signature=bindparam("b_signature"),
        quoted_gross=bindparam("b_quoted_gross"),
        state=bindparam("b_state"),
        attempts=0,
        tx_id=None,
        tx_hash=None,
        block_number=None,
        reason_code=bindparam("b_reason_code"),  # None, or the risk rule that holds it
        reason_message=bindparam("b_reason_message"),
        updated_at=bindparam("b_updated_at"),
    )
)


def shadowed(row: RelayerOrder, signature: str) -> bool:
    """Whether ``row`` was rejected for its own signature and ``signature`` is another one."""
    return (
        row.state == REJECTED
        and row.reason_code in SIGNATURE_REJECTIONS
        and row.signature.lower() != signature.lower()
    )


def revive(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Queues the shadowed orders again with their new signature (``rows``: intake's values)."""
    for values in rows:
        connection.execute(
            _REVIVE,
            {
                "b_order_hash": values["order_hash"],
                "b_signature": values["signature"],
                "b_quoted_gross": values["quoted_gross"],
                "b_state": values["state"],
                "b_reason_code": values["reason_code"],
                "b_reason_message": values["reason_message"],
                "b_updated_at": values["updated_at"],
            },
        )
