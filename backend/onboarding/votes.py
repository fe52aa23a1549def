"""A reviewer's member votes on an admission proposal, or executes it once it has passed: the
same ``approve`` and ``execute`` a member sends from its own tools (``chain.governance``), sent
here with the member's key the backend holds (``TONGDUI_MEMBER_KEYS``) so that a review can be
carried to its end from the consortium page. The contract decides: a second approval by the
same member is ALREADY_APPROVED, an early execute is refused with the contract's error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from web3 import Web3
from web3.contract import Contract

from ..chain.transactions import Signer, wait_for

Vote = Literal["approve", "execute"]


@dataclass(frozen=True, slots=True)
class Cast:
    """The vote's transaction, mined."""

    proposal_id: int
    tx_hash: str
    block_number: int


def cast(w3: Web3, governance: Contract, member_key: str, proposal_id: int, vote: Vote) -> Cast:
    """Sends ``approve(id)`` or ``execute(id)`` signed by the member and waits for it."""
    functions = governance.functions
    call = functions.approve(proposal_id) if vote == "approve" else functions.execute(proposal_id)
    [receipt] = wait_for(w3, [Signer(w3, member_key).transact(call)])
    return Cast(
        proposal_id, "0x" + bytes(receipt["transactionHash"]).hex(), int(receipt["blockNumber"])
    )
