"""Governance and the sealer set move together: a member admitted by an on-chain vote gets a
node that becomes a Clique sealer and seals blocks; a member removed by a vote stops sealing.
The sealer agents beside each node cast the Clique votes (``tongdui.network.agent``).

This file runs last in the folder (its name sorts after the others): it leaves the network
with the added member's node stopped and the original four sealers."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from web3 import HTTPProvider, Web3

from tongdui.chain.transactions import Signer, wait_for
from tongdui.network import NodeInfo

from .conftest import NetworkChain

VOTE_TIMEOUT = 90.0


def governance_vote(chain: NetworkChain, function: str, member: str) -> None:
    """The founding members' M-of-N vote on ``governance.<function>(member)``."""
    governance = chain.platform.governance
    threshold = governance.functions.threshold().call()
    voters = [Signer(chain.w3, key) for key in chain.member_keys()[:threshold]]
    call = (governance.address, 0, governance.encode_abi(function, args=[member]))
    proposal = governance.functions.proposalCount().call() + 1
    wait_for(chain.w3, [voters[0].transact(governance.functions.propose([call], function))])
    wait_for(chain.w3, [v.transact(governance.functions.approve(proposal)) for v in voters[1:]])
    wait_for(chain.w3, [voters[0].transact(governance.functions.execute(proposal))])


def signers(w3: Web3) -> set[str]:
    answer = w3.provider.make_request("clique_getSigners", ["latest"])  # type: ignore[arg-type]
    return {str(s).lower() for s in answer["result"]}


def block_signer(w3: Web3, number: int) -> str:
    answer = w3.provider.make_request("clique_getSigner", [hex(number)])  # type: ignore[arg-type]
    return str(answer["result"]).lower()


def wait_for_signers(w3: Web3, condition: object, what: str) -> int:
    """Polls until ``condition(signers)``; returns the block at which it held."""
    deadline = time.monotonic() + VOTE_TIMEOUT
    while True:
        if callable(condition) and condition(signers(w3)):
            return int(w3.eth.block_number)
        assert time.monotonic() < deadline, f"{what} within {VOTE_TIMEOUT:.0f} s"
        time.sleep(0.5)


@pytest.fixture(scope="module")
def fifth_member(network_chain: NetworkChain) -> Iterator[NodeInfo]:
    """A new member's node, running and peered, its address admitted by governance."""
    node = network_chain.network.add_member_node()
    try:
        yield node
    finally:
        network_chain.network.stop_node(node.index)


def test_a_member_admitted_by_vote_starts_its_node_joins_becomes_a_sealer_and_seals(
    network_chain: NetworkChain, fifth_member: NodeInfo
) -> None:
    w3 = Web3(HTTPProvider(network_chain.url))
    sealer = str(fifth_member.sealer).lower()
    status = network_chain.network.status()[fifth_member.index]
    assert status.running and status.peers == 6 and not status.sealing

    governance_vote(network_chain, "addMember", str(fifth_member.sealer))
    assert network_chain.platform.governance.functions.isMember(fifth_member.sealer).call()
    admitted = wait_for_signers(w3, lambda s: sealer in s, "the agents voted the member in")
    assert len(signers(w3)) == 5

    deadline = time.monotonic() + VOTE_TIMEOUT
    while block_signer(w3, int(w3.eth.block_number)) != sealer:
        assert time.monotonic() < deadline, "the new sealer sealed no block"
        time.sleep(0.3)
    assert int(w3.eth.block_number) > admitted
    assert network_chain.network.status()[fifth_member.index].sealing


def test_a_member_removed_by_vote_stops_being_a_sealer(
    network_chain: NetworkChain, fifth_member: NodeInfo
) -> None:
    w3 = Web3(HTTPProvider(network_chain.url))
    sealer = str(fifth_member.sealer).lower()
    wait_for_signers(w3, lambda s: sealer in s, "the member is a sealer before the vote")

    governance_vote(network_chain, "removeMember", str(fifth_member.sealer))
    assert not network_chain.platform.governance.functions.isMember(fifth_member.sealer).call()
    removed = wait_for_signers(w3, lambda s: sealer not in s, "the agents voted the member out")
    assert len(signers(w3)) == 4

    later = removed + 8
    deadline = time.monotonic() + VOTE_TIMEOUT
    while w3.eth.block_number < later:
        assert time.monotonic() < deadline
        time.sleep(0.3)
    assert all(block_signer(w3, n) != sealer for n in range(removed + 1, later + 1))
