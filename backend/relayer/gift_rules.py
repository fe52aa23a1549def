"""Gift checks the contract would make, done at intake so a doomed gift costs no gas.

Why: two gifts signed with the same EIP-3009 nonce (different recipient or amount, so two
digests) were both accepted; the second reverted on chain (gas spent) and ended
``TRANSACTION_REVERTED``. And a gift to the zero address was accepted, then refused by the
token (``ERC20InvalidReceiver``). Both are refused here, with their own code.
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.error_codes import ErrorCode
from ..core.errors import ValidationError
from .models import REQ_HELD, REQ_RECEIVED, REQ_SUBMITTED, RelayerRequest


def check_recipient(to: str) -> None:
    """A gift's ``to`` must be an address that can hold points (not the zero address)."""
    if int(to, 16) == 0:
        raise ValidationError(
            "A gift cannot go to the zero address (0x000…000): nobody could ever use those "
            "points. Enter the recipient's wallet address.",
            code=ErrorCode.INVALID_RECIPIENT,
            to=to,
        )


def reserved_gift(session: Session, owner: str, token: str, nonce: bytes) -> str | None:
    """The hash of ``owner``'s pending gift of ``token`` that holds EIP-3009 ``nonce``.

    Call inside the owner's serialized transaction (``serial.owners_transaction``), so that
    two gifts with one nonce sent together cannot both pass. An owner has few pending gifts,
    so their payloads are read rather than indexed (no schema change)."""
    rows = session.execute(
        select(RelayerRequest.request_hash, RelayerRequest.payload).where(
            RelayerRequest.owner == owner,
            RelayerRequest.kind == "gift",
            RelayerRequest.state.in_((REQ_HELD, REQ_RECEIVED, REQ_SUBMITTED)),
        )
    ).all()
    wanted = "0x" + nonce.hex()
    for request_hash, payload in rows:
        held = json.loads(payload)
        if held.get("token") == token and str(held.get("nonce", "")).lower() == wanted:
            return str(request_hash)
    return None
