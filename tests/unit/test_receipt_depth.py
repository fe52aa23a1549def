"""``wait_for`` at a receipt depth: a deployment step reorged out on Clique is waited for again.

The bug (CI, ``deploy_platform_on`` on 4 geth sealers): a vote's proposal was mined in an
out-of-turn block that lost to the in-turn one; the approvals were sent on the strength of the
first receipt and reverted, the proposal not existing yet. A chain whose head and receipts
follow a script stands in for the node here, so the reorg happens on cue.
"""

from __future__ import annotations

from typing import Any, cast

import pytest
from hexbytes import HexBytes
from web3 import Web3
from web3.exceptions import TransactionNotFound

from tongdui.chain.transactions import set_receipt_depth, wait_for
from tongdui.core.errors import ChainUnavailableError

TX = HexBytes("0x" + "11" * 32)


class ScriptedEth:
    """A head that grows by one block each time it is read, and the transaction's receipt as
    the script has it at each head: ``script`` maps a head to (block number, block hash) or
    None (not mined / back in the pool). The last entry at or below the head applies."""

    def __init__(self, script: dict[int, tuple[int, str] | None], grows: bool = True) -> None:
        self.head = 0
        self.script = script
        self.grows = grows

    @property
    def block_number(self) -> int:
        if self.grows:
            self.head += 1
        return self.head

    def _mined(self) -> tuple[int, str] | None:
        at = max(h for h in self.script if h <= self.head)
        return self.script[at]

    def get_transaction_receipt(self, tx_hash: HexBytes) -> dict[str, Any]:
        mined = self._mined()
        if mined is None:
            raise TransactionNotFound(f"{tx_hash.hex()} not found")
        number, block_hash = mined
        return {"status": 1, "blockNumber": number, "blockHash": HexBytes(block_hash)}

    def wait_for_transaction_receipt(
        self, tx_hash: HexBytes, timeout: float, poll_latency: float
    ) -> dict[str, Any]:
        while True:
            try:
                return self.get_transaction_receipt(tx_hash)
            except TransactionNotFound:
                _ = self.block_number  # the chain moves on while we poll


class ScriptedWeb3:
    def __init__(self, eth: ScriptedEth) -> None:
        self.eth = eth


def chain(script: dict[int, tuple[int, str] | None], grows: bool = True) -> Any:
    return cast(Web3, ScriptedWeb3(ScriptedEth(script, grows)))


def test_without_a_depth_the_first_receipt_is_believed_at_once() -> None:
    w3 = chain({0: None, 3: (3, "0xaa")})
    [receipt] = wait_for(w3, [TX])
    assert receipt["blockHash"] == HexBytes("0xaa")
    assert w3.eth.head == 3  # not a block more


def test_a_receipt_is_believed_only_once_its_block_is_confirmations_deep() -> None:
    w3 = chain({0: None, 3: (3, "0xaa")})
    set_receipt_depth(w3, 2)
    [receipt] = wait_for(w3, [TX])
    assert receipt["blockNumber"] == 3
    assert w3.eth.head >= 5


def test_a_deploy_step_reorged_out_of_an_out_of_turn_block_is_waited_for_until_mined_again() -> (
    None
):
    # mined in block 3 (0xaa), which loses at head 4; back in the pool; mined in block 6 (0xbb)
    w3 = chain({0: None, 3: (3, "0xaa"), 4: None, 6: (6, "0xbb")})
    set_receipt_depth(w3, 2)
    [receipt] = wait_for(w3, [TX])
    assert receipt["blockHash"] == HexBytes("0xbb")
    assert w3.eth.head >= 8


def test_a_receipt_moved_to_another_block_by_a_reorg_is_believed_in_its_new_block() -> None:
    w3 = chain({0: None, 3: (3, "0xaa"), 4: (4, "0xcc")})
    set_receipt_depth(w3, 2)
    [receipt] = wait_for(w3, [TX])
    assert receipt["blockHash"] == HexBytes("0xcc")


def test_a_chain_that_stops_short_of_the_depth_is_reported_not_waited_for_forever() -> None:
    w3 = chain({0: (0, "0xaa")}, grows=False)
    set_receipt_depth(w3, 2)
    with pytest.raises(ChainUnavailableError, match="not 2 blocks deep"):
        wait_for(w3, [TX], timeout=0.3)
