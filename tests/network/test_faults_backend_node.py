"""The node the backend talks to stops while orders arrive: the relayer, the indexer and intake
move to another member's node; nothing is lost and nothing is sent twice; once the own node is
back and has caught up, the backend returns to it."""

from __future__ import annotations

from pathlib import Path

from web3 import Web3

from tongdui.chain.nodes import nodes_of

from .conftest import NetworkChain
from .fault_support import (
    all_final,
    assert_each_order_ended_once,
    backend,
    submit_orders,
    wait_until,
)

ORDERS = 300
OWN = 1  # the backend's own member's node (node 0 stays up: the session's w3 is on it)


def test_the_backend_fails_over_to_another_members_node_and_sends_nothing_twice(
    network_chain: NetworkChain, tmp_path: Path
) -> None:
    network = network_chain.network
    own_url = network_chain.info.nodes[OWN].rpc_url
    w3 = network_chain.w3
    first_block = w3.eth.block_number
    with backend(network_chain, tmp_path / "data", node=OWN) as running:
        nodes = nodes_of(running.services.w3)
        assert nodes is not None and nodes.current == own_url and len(nodes.urls) >= 3
        nodes.retry_after = 1.0
        orders = submit_orders(network_chain, running, ORDERS)
        wait_until(lambda: orders.count >= ORDERS // 3, 120, "a third of the orders posted")
        network.stop_node(OWN)
        try:
            orders.join()
            wait_until(lambda: all_final(running, orders.accepted), 240, "every order final")
            assert nodes.current != own_url, "the backend moved to another member's node"
            head = w3.eth.block_number
            wait_until(lambda: running.indexed_block() >= head - 3, 60, "the indexer went on")
        finally:
            network.start_node(OWN)
        counts = assert_each_order_ended_once(network_chain, running, orders, first_block)
        # Back on its own node once that node answers and has caught up.
        wait_until(lambda: nodes.current == own_url, 60, "back on the own node")
        assert Web3(Web3.HTTPProvider(own_url)).eth.block_number >= head
    assert not orders.refused, orders.refused[:3]
    assert counts.get("settled", 0) >= ORDERS * 0.9, counts
    print(f"\n{ORDERS} orders across the failover: {counts}; {nodes.generation} switches")
