"""The audit's state reads take their signatures and result types from the committed ABIs."""

from __future__ import annotations

import pytest
from eth_abi import encode
from eth_utils import keccak

from tongdui.audit.abi_calls import function


def test_a_read_is_encoded_with_the_signature_its_abi_declares() -> None:
    market = function("PointsExchange", "market", 1)
    assert market.signature == "market(address)"
    assert market.calldata(["0x" + "11" * 20]) == keccak(text="market(address)")[:4] + encode(
        ["address"], ["0x" + "11" * 20]
    )


def test_a_returned_struct_is_opened_into_its_fields_and_several_values_stay_apart() -> None:
    user_state = function("PointsExchange", "userState", 1)
    assert user_state.outputs == ("(uint32,uint40,uint184)",)
    assert user_state.results(encode(["(uint32,uint40,uint184)"], [(1, 2, 3)])) == [1, 2, 3]
    freeze = function("PointsToken", "freezeOf", 1)
    assert freeze.results(encode(["bool", "bool"], [True, False])) == [True, False]


def test_a_function_the_abi_does_not_have_is_refused_by_name() -> None:
    with pytest.raises(KeyError, match="PointsExchange has no function markets"):
        function("PointsExchange", "markets", 1)
