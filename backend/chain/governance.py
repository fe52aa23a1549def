"""One consortium decision by M-of-N vote, signed with the members' own keys.

Why one helper: the demo seed, the auditor grant and the contract tests' ``vote`` fixture (via
``scripts/platform.py``) all run the same sequence (the first member proposes, which counts as
its approval; the next members approve until the threshold; the proposer executes), and copies
of it drifted apart before. The threshold is read from the chain after proposing, because an
earlier vote may have changed it.
"""

from __future__ import annotations

from collections.abc import Sequence

from web3 import Web3
from web3.contract import Contract
from web3.logs import DISCARD

from .transactions import Signer, wait_for

# One call of a proposal as ``ConsortiumGovernance.propose`` takes it: (target, value, data).
Call = tuple[str, int, bytes | str]


def propose_and_approve(
    w3: Web3, governance: Contract, member_keys: Sequence[str], calls: Sequence[Call], text: str
) -> tuple[int, Signer]:
    """Opens a proposal with ``member_keys[0]`` and has the following keys approve it up to
    the threshold; returns the proposal id and the proposer, who may execute it now.

    Split from ``vote`` so that a caller with its own way of sending the ``execute`` (the
    brownie adapter, whose tests read brownie's receipt and revert) shares everything else.
    """
    if not member_keys:
        raise ValueError("a vote needs the members' keys: none were given")
    proposer = Signer(w3, member_keys[0])
    [receipt] = wait_for(w3, [proposer.transact(governance.functions.propose(list(calls), text))])
    [created] = governance.events.ProposalCreated().process_receipt(receipt, errors=DISCARD)
    proposal_id = int(created["args"]["id"])
    threshold = int(governance.functions.threshold().call())
    approvers = [Signer(w3, key) for key in member_keys[1:threshold]]
    wait_for(w3, [m.transact(governance.functions.approve(proposal_id)) for m in approvers])
    return proposal_id, proposer


def vote(
    w3: Web3,
    governance: Contract,
    member_keys: Sequence[str],
    calls: Sequence[Call],
    text: str,
    execute_gas: int | None = None,
) -> int:
    """Runs one whole vote on ``calls`` and returns the executed proposal's id.

    ``execute_gas`` skips the estimate for an execute whose gas is known to be large (the
    demo's admissions deploy three tokens)."""
    proposal_id, proposer = propose_and_approve(w3, governance, member_keys, calls, text)
    execute = governance.functions.execute(proposal_id)
    wait_for(w3, [proposer.transact(execute, gas=execute_gas)])
    return proposal_id
