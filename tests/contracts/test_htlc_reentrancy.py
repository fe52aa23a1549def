"""HashedTimelock against a hostile token that calls back into it while it pays out.

The platform's points tokens have no transfer hooks, and only they can be locked, so this
cannot happen on the platform; the test proves the contract would hold anyway (the guard
and checks-effects-interactions), should a registry ever list a token with hooks. The
hostile contract plays both the registry (it lists itself) and the token.
"""

from __future__ import annotations

from typing import Any

import pytest
from brownie import HashedTimelock, accounts, chain, compile_source
from eth_utils import keccak

from tests.contracts.conftest import HTLC_MARGIN, HTLC_MAX_LOCK, HTLC_MIN_LOCK
from tests.contracts.htlc_helpers import HASHLOCK, SECRET, pass_timelock

CLAIM, REFUND, LOCK = 1, 2, 3
GUARD_ERROR = keccak(text="ReentrancyGuardReentrantCall()")[:4]

HOSTILE_TOKEN = """
// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

interface IHtlc {
    function claim(bytes32 lockId, bytes32 preimage) external;
    function refund(bytes32 lockId) external;
    function lock(address, address, uint256, bytes32, uint64, uint64) external returns (bytes32);
}

contract HostileToken {
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    address public htlc;
    uint8 public mode;
    bytes32 public lockId;
    bool public reentered;
    bytes public reentryError;

    function merchantIdOf(address) external pure returns (uint256) { return 1; }
    function mint(address to, uint256 value) external { balanceOf[to] += value; }
    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        return true;
    }
    function arm(address htlc_, uint8 mode_, bytes32 lockId_) external {
        htlc = htlc_; mode = mode_; lockId = lockId_;
    }
    function transfer(address to, uint256 value) external returns (bool) {
        _move(msg.sender, to, value);
        _reenter();
        return true;
    }
    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        allowance[from][msg.sender] -= value;
        _move(from, to, value);
        _reenter();
        return true;
    }
    function _move(address from, address to, uint256 value) private {
        balanceOf[from] -= value;
        balanceOf[to] += value;
    }
    function _reenter() private {
        uint8 m = mode;
        if (m == 0) return;
        mode = 0;
        bytes memory call;
        if (m == 1) call = abi.encodeCall(IHtlc.claim, (lockId, bytes32(0)));
        else if (m == 2) call = abi.encodeCall(IHtlc.refund, (lockId));
        else call = abi.encodeCall(
            IHtlc.lock,
            (address(this), address(this), 1, bytes32(uint256(1)), uint64(block.timestamp + 600), 0)
        );
        (bool ok, bytes memory err) = htlc.call(call);
        reentered = ok;
        reentryError = err;
    }
}
"""


@pytest.fixture(scope="module")
def hostile(platform: Any) -> tuple[Any, Any]:
    """(the hostile token, an HTLC whose registry is the hostile token)."""
    container = compile_source(HOSTILE_TOKEN, solc_version="0.8.28", evm_version="paris")
    token = container.HostileToken.deploy({"from": accounts[0]})
    htlc = HashedTimelock.deploy(
        token, HTLC_MIN_LOCK, HTLC_MAX_LOCK, HTLC_MARGIN, {"from": accounts[0]}
    )
    token.mint(accounts[1], 1_000, {"from": accounts[0]})
    token.approve(htlc, 1_000, {"from": accounts[1]})
    return token, htlc


def _lock(token: Any, htlc: Any) -> Any:
    timelock = chain.time() + 1_800
    tx = htlc.lock(token, accounts[2], 100, HASHLOCK, timelock, 0, {"from": accounts[1]})
    return tx.return_value


@pytest.mark.parametrize("mode", [CLAIM, REFUND, LOCK], ids=["claim", "refund", "lock"])
def test_a_token_calling_back_during_a_claim_is_stopped_by_the_guard(
    hostile: tuple[Any, Any], mode: int
) -> None:
    token, htlc = hostile
    lock_id = _lock(token, htlc)
    token.arm(htlc, mode, lock_id, {"from": accounts[0]})

    htlc.claim(lock_id, SECRET, {"from": accounts[3]})

    assert not token.reentered()
    assert bytes(token.reentryError()) == GUARD_ERROR
    assert token.balanceOf(accounts[2]) == 100  # paid once
    assert token.balanceOf(htlc) == 0


def test_a_token_calling_back_during_a_refund_is_stopped_by_the_guard(
    hostile: tuple[Any, Any],
) -> None:
    token, htlc = hostile
    lock_id = _lock(token, htlc)
    pass_timelock(htlc.getLock(lock_id)[5])
    token.arm(htlc, REFUND, lock_id, {"from": accounts[0]})

    htlc.refund(lock_id, {"from": accounts[3]})

    assert not token.reentered()
    assert bytes(token.reentryError()) == GUARD_ERROR
    assert token.balanceOf(accounts[1]) == 1_000  # refunded once
    assert token.balanceOf(htlc) == 0


def test_a_token_calling_back_during_a_lock_is_stopped_by_the_guard(
    hostile: tuple[Any, Any],
) -> None:
    token, htlc = hostile
    token.arm(htlc, CLAIM, bytes(32), {"from": accounts[0]})

    lock_id = _lock(token, htlc)

    assert not token.reentered()
    assert bytes(token.reentryError()) == GUARD_ERROR
    assert htlc.getLock(lock_id)[3] == 100
