"""One of four sealers stops while 1,000 orders arrive: the chain goes on with three, every
accepted order settles exactly once or is rejected with its reason, no relayer nonce is left
with a gap; started again, the sealer catches up to the same chain as the others."""

from __future__ import annotations

import time
from pathlib import Path

from .conftest import NetworkChain
from .fault_support import (
    all_final,
    assert_each_order_ended_once,
    backend,
    head_hashes,
    submit_orders,
    wait_until,
)

ORDERS = 1_000
STOPPED = 2  # a sealer that is not the backend's node (0) nor its first fallback (1)


def test_a_stopped_sealer_leaves_the_chain_going_and_every_order_ends_once(
    network_chain: NetworkChain, tmp_path: Path
) -> None:
    network, w3 = network_chain.network, network_chain.w3
    first_block = w3.eth.block_number
    with backend(network_chain, tmp_path / "data") as running:
        orders = submit_orders(network_chain, running, ORDERS)
        wait_until(lambda: orders.count >= ORDERS // 3, 120, "a third of the orders posted")
        network.stop_node(STOPPED)
        stopped_at = w3.eth.block_number
        try:
            orders.join()
            wait_until(lambda: all_final(running, orders.accepted), 240, "every order final")
            # The chain went on without the stopped sealer: blocks kept coming.
            wait_until(lambda: w3.eth.block_number >= stopped_at + 5, 30, "5 more blocks")
        finally:
            network.start_node(STOPPED)
        counts = assert_each_order_ended_once(network_chain, running, orders, first_block)
    assert not orders.refused, orders.refused[:3]
    assert counts.get("settled", 0) >= ORDERS * 0.9, counts
    # Started again, it caught up: the same block hash as every other node at a recent height.
    height = w3.eth.block_number - 1
    deadline = time.monotonic() + 60
    while True:
        hashes = head_hashes(network_chain, height)
        if len(set(hashes.values())) == 1 and STOPPED in hashes:
            break
        assert time.monotonic() < deadline, f"node {STOPPED} did not catch up: {hashes}"
        time.sleep(1)
    print(f"\n{ORDERS} orders, {counts} while sealer {STOPPED} was down; caught up at {height}")
