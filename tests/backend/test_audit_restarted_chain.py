"""Auditing a chain that keeps no old state: an anvil restored from its state file answers
``eth_call`` only at the blocks mined since, yet ``--to-block`` at an older block works."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from tests.chains import start_chain
from tongdui.audit.fetch import Contracts
from tongdui.audit.run import run_audit
from tongdui.chain.anvil import Anvil
from tongdui.chain.rpc import JsonRpc, RpcError


def test_audit_to_block_works_on_a_chain_restarted_from_its_state_file() -> None:
    folder = Path(tempfile.mkdtemp(prefix="tongdui-restarted-"))
    chain = start_chain(folder)
    restarted: Anvil | None = None
    try:
        contracts = Contracts.from_names(chain.deployment.addresses)
        first = chain.deployment.deployment_block
        before = chain.w3.eth.block_number
        expected = run_audit(chain.url, contracts, first, before)
        assert expected.ok, expected.text()
        chain.anvil.stop()  # dumps the state file
        restarted = Anvil(folder, chain.anvil.port, 0)
        restarted.start()
        with JsonRpc(restarted.url) as rpc:
            for _ in range(3):
                rpc.call("evm_mine", [])
            head = rpc.block_number()
            # what made --to-block fail: the node has no state at the older block
            with pytest.raises(RpcError):
                rpc.eth_calls([(contracts.exchange, bytes.fromhex("18160ddd"))], before - 1)
        report = run_audit(restarted.url, contracts, first, before - 1)
        assert report.ok, report.text()
        assert report.canonical["toBlock"] == before - 1
        assert report.canonical["stateBlock"] == head
        assert "read at block" in report.text()
        again = run_audit(restarted.url, contracts, first, before)
        assert again.canonical["historyDigest"] == expected.canonical["historyDigest"]
    finally:
        (restarted or chain.anvil).stop()
        shutil.rmtree(folder, ignore_errors=True)
