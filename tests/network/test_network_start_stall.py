"""Regression: a fresh Clique network's ``up`` returned while its sealers sat on competing
forks at block 1–2 (the CI benchmark's deploy was then never mined). ``up`` must return only
once every node is past a few blocks on one chain, start after start."""

from __future__ import annotations

import time
from pathlib import Path

from tongdui.network import Network


def _head_and_hash(url: str, number: int | None = None) -> tuple[int, str]:
    from web3 import HTTPProvider, Web3

    w3 = Web3(HTTPProvider(url, request_kwargs={"timeout": 3}))
    tag = "latest" if number is None else hex(number)
    block = w3.provider.make_request("eth_getBlockByNumber", [tag, False])["result"]  # type: ignore[arg-type]
    return int(block["number"], 16), block["hash"]


def test_network_start_does_not_stall_at_block_one(tmp_path: Path) -> None:
    for attempt in range(3):
        network = Network(tmp_path / f"net-{attempt}")
        try:
            network.up(members=2, auditors=0, period=1, timeout=40)
            urls = [row.rpc_url for row in network.status()]
            heads = [_head_and_hash(url)[0] for url in urls]
            assert min(heads) >= 3, f"start {attempt}: heads {heads}"
            time.sleep(2.5)
            later = [_head_and_hash(url)[0] for url in urls]
            assert min(later) > max(heads), f"start {attempt}: stalled {heads} → {later}"
            common = min(later)
            hashes = {_head_and_hash(url, common)[1] for url in urls}
            assert len(hashes) == 1, f"start {attempt}: forked at block {common}"
        finally:
            network.down(purge=True)
