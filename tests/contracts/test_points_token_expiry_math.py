"""ExpiryMath (Howard Hinnant's civil calendar in Solidity) is Python's `datetime`, on random
times: the month key of any time, the key any rule gives, the expiry of every key.

The library is compiled here as it is on disk into a small harness (optimizer off), as
test_swap_math_differential.py does for SwapMath. The Python side is
points_token_expiry_model.py, written from `datetime`, the reference the backend's twin
(backend/chain/expiry.py) must also match.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import solcx
from brownie import accounts, web3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.contracts.points_token_expiry_model import (
    NEVER,
    NO_EXPIRY,
    ROUNDINGS,
    expiry_of,
    key_for,
    month_of,
)

ROOT = Path(__file__).resolve().parents[2]
HARNESS = """// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ExpiryMath} from "contracts/libraries/ExpiryMath.sol";

contract ExpiryMathHarness {
    function monthOf(uint256 t) external pure returns (uint256) {
        return ExpiryMath.monthOf(t);
    }

    function keyFor(uint256 t, uint256 v, uint256 r) external pure returns (uint16) {
        return ExpiryMath.keyFor(t, v, r);
    }

    function expiryOf(uint16 k) external pure returns (uint256) {
        return ExpiryMath.expiryOf(k);
    }
}
"""
CHECK = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
YEAR_7000 = 156_764_649_600  # far past any key's year (key 65534: 7431) but inside datetime
# Any time, and times within a day of a month's start (the edges of every formula).
month_starts = st.integers(0, 65_534).map(expiry_of)
times = st.integers(0, YEAR_7000) | st.builds(
    lambda start, delta: max(0, start + delta), month_starts, st.integers(-86_400, 86_400)
)


@pytest.fixture(scope="module")
def harness(module_isolation: Any) -> Any:
    library = ROOT / "contracts/libraries/ExpiryMath.sol"
    out = solcx.compile_standard(
        {
            "language": "Solidity",
            "sources": {
                "contracts/libraries/ExpiryMath.sol": {"content": library.read_text()},
                "ExpiryMathHarness.sol": {"content": HARNESS},
            },
            "settings": {
                "evmVersion": "paris",
                "outputSelection": {"ExpiryMathHarness.sol": {"*": ["abi", "evm.bytecode.object"]}},
            },
        },
        solc_version="0.8.28",
    )
    built = out["contracts"]["ExpiryMathHarness.sol"]["ExpiryMathHarness"]
    factory = web3.eth.contract(abi=built["abi"], bytecode=built["evm"]["bytecode"]["object"])
    tx = factory.constructor().transact({"from": accounts[0].address})
    address = web3.eth.wait_for_transaction_receipt(tx)["contractAddress"]
    return web3.eth.contract(address=address, abi=built["abi"])


@CHECK
@given(timestamp=times)
def test_the_month_key_of_any_time_is_the_calendars(harness: Any, timestamp: int) -> None:
    assert harness.functions.monthOf(timestamp).call() == month_of(timestamp)


@CHECK
@given(
    timestamp=st.integers(0, 4_102_444_800 * 10),  # to about 2400
    validity=st.integers(1, 1_200),
    rounding=st.sampled_from(ROUNDINGS),
)
def test_the_key_of_any_rule_is_the_models(
    harness: Any, timestamp: int, validity: int, rounding: int
) -> None:
    assert harness.functions.keyFor(timestamp, validity, rounding).call() == key_for(
        timestamp, validity, rounding
    )


@CHECK
@given(key=st.integers(0, 65_534))
def test_every_key_expires_at_the_start_of_the_following_month(harness: Any, key: int) -> None:
    expires = harness.functions.expiryOf(key).call()
    assert expires == expiry_of(key)
    assert harness.functions.monthOf(expires).call() == key + 1
    assert harness.functions.monthOf(expires - 1).call() == key


def test_never_never_expires(harness: Any) -> None:
    assert harness.functions.expiryOf(NEVER).call() == NO_EXPIRY
    assert harness.functions.keyFor(1_796_256_000, 0, 0).call() == NEVER
