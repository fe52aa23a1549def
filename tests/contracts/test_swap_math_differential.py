"""The Python swap arithmetic (``tongdui.chain.swap_math``) is the contract's, on random inputs.

The audit, the indexer, the quote page and the invariant model all price swaps and split fees
with that one module; this pins it to the compiled Solidity, as v4's TickMath tests pin their
reference. Two levels:

- the libraries themselves (SwapMath.quote, FeeSplit.split) through a small harness contract
  compiled here from contracts/libraries/ as it is on disk, over the whole input range
  (any values and fee up to 100 %, amounts far beyond any holding, every rounding edge);
- PointsExchange.quote on the seeded platform, so the exchange's wiring of the library (its
  values, fee and argument order) gives what the module predicts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import solcx
from brownie import accounts, web3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tongdui.chain.swap_math import BPS, FeeShares, Quote, quote, split_fee

ROOT = Path(__file__).resolve().parents[2]
SYMBOLS = ("SKYM", "BEAN", "FRESH")
LIBRARIES = ("Constants.sol", "SwapMath.sol", "FeeSplit.sol")
HARNESS = """// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SwapMath} from "contracts/libraries/SwapMath.sol";
import {FeeSplit} from "contracts/libraries/FeeSplit.sol";

contract SwapMathHarness {
    function quote(uint256 amountIn, uint256 valueA, uint256 valueB, uint256 feeBps)
        external pure returns (SwapMath.Quote memory)
    {
        return SwapMath.quote(amountIn, valueA, valueB, feeBps);
    }

    function split(FeeSplit.Shares memory shares, uint256 fee, bool hasRelayer)
        external pure returns (FeeSplit.Parts memory)
    {
        return FeeSplit.split(shares, fee, hasRelayer);
    }
}
"""
CHECK = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))

# Small numbers hit the rounding edges (a fee of under one unit, no output, dust == value);
# large ones the arithmetic's range (far beyond any real holding, well inside uint256).
amounts = st.integers(0, 10_000) | st.integers(0, 2**96)
values = st.integers(1, 1_000) | st.integers(1, 2**64)
fee_bps = st.integers(0, 100) | st.integers(0, BPS)
fees = st.integers(0, 10_000) | st.integers(0, 2**128)


@st.composite
def shares(draw: Any) -> FeeShares:
    """Four shares in basis points that sum to 10 000, as the exchange requires."""
    cuts = sorted(draw(st.lists(st.integers(0, BPS), min_size=3, max_size=3)))
    source, target, relayer = cuts[0], cuts[1] - cuts[0], cuts[2] - cuts[1]
    return FeeShares(BPS - cuts[2], source, target, relayer)


@pytest.fixture(scope="module")
def harness(module_isolation: Any) -> Any:
    """SwapMathHarness deployed on the test chain (the project's solc, optimizer off)."""
    sources = {
        f"contracts/libraries/{name}": {
            "content": (ROOT / "contracts/libraries" / name).read_text()
        }
        for name in LIBRARIES
    }
    sources["SwapMathHarness.sol"] = {"content": HARNESS}
    out = solcx.compile_standard(
        {
            "language": "Solidity",
            "sources": sources,
            "settings": {
                "evmVersion": "paris",
                "outputSelection": {"SwapMathHarness.sol": {"*": ["abi", "evm.bytecode.object"]}},
            },
        },
        solc_version="0.8.28",
    )
    built = out["contracts"]["SwapMathHarness.sol"]["SwapMathHarness"]
    factory = web3.eth.contract(abi=built["abi"], bytecode=built["evm"]["bytecode"]["object"])
    tx = factory.constructor().transact({"from": accounts[0].address})
    address = web3.eth.wait_for_transaction_receipt(tx)["contractAddress"]
    return web3.eth.contract(address=address, abi=built["abi"])


@CHECK
@given(amount_in=amounts, value_a=values, value_b=values, fee=fee_bps)
def test_the_python_quote_is_swap_maths_on_any_input(
    harness: Any, amount_in: int, value_a: int, value_b: int, fee: int
) -> None:
    on_chain = harness.functions.quote(amount_in, value_a, value_b, fee).call()
    assert quote(amount_in, value_a, value_b, fee) == Quote(*on_chain)


@CHECK
@given(split=shares(), fee=fees, has_relayer=st.booleans())
def test_the_python_fee_split_is_fee_splits_on_any_input(
    harness: Any, split: FeeShares, fee: int, has_relayer: bool
) -> None:
    on_chain = harness.functions.split(tuple(split), fee, has_relayer).call()
    parts = split_fee(split, fee, has_relayer)
    assert tuple(parts) == tuple(on_chain)
    assert sum(parts) == fee


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    pair=st.sampled_from([(a, b) for a in SYMBOLS for b in SYMBOLS if a != b]),
    amount_in=st.integers(1, 10**12),
)
def test_the_exchanges_quote_is_the_python_quote_with_its_values_and_fee(
    platform: Any, tokens: dict[str, Any], pair: tuple[str, str], amount_in: int
) -> None:
    source, target = (tokens[symbol] for symbol in pair)
    exchange = platform.exchange
    value_a, value_b = exchange.market(source)["pointValue"], exchange.market(target)["pointValue"]
    expected = quote(amount_in, value_a, value_b, exchange.feeConfig()["feeBps"])
    amount_out, fee, gross = exchange.quote(source, target, amount_in)
    assert (amount_out, fee, gross) == (expected.amount_out, expected.fee, expected.gross_value)
