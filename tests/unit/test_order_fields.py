"""Amounts, nonces and deadlines arrive as JSON integers, decimal strings or 0x-hex strings
(as wallet libraries sign them) and nothing else; intake then keeps them within the index's
64-bit columns (MALFORMED_ORDER)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError as SchemaError

from tongdui.core.errors import ValidationError
from tongdui.relayer.intake_checks import to_order
from tongdui.relayer.schemas import UINT256_MAX, SwapOrderIn

OWNER = "0x" + "ab" * 20
BODY: dict[str, Any] = {
    "owner": OWNER,
    "fromToken": "0x" + "01" * 20,
    "toToken": "0x" + "02" * 20,
    "amountIn": 1_000,
    "minAmountOut": 0,
    "nonce": 1,
    "deadline": 1_900_000_000,
    "signature": "0x" + "11" * 65,
}


def order_with(**fields: Any) -> SwapOrderIn:
    return SwapOrderIn.model_validate({**BODY, **fields})


@pytest.mark.parametrize("amount", [1000, "1000", "0x3e8", "0X3E8"])
def test_an_amount_as_a_number_a_decimal_or_a_hex_string_is_the_same(amount: Any) -> None:
    assert order_with(amountIn=amount).amount_in == 1_000


@pytest.mark.parametrize("amount", [" 50", "50\n", "０５０", "-1", "1e3", "0x", "", True, 1.5])
def test_an_amount_in_any_other_form_is_refused(amount: Any) -> None:
    with pytest.raises(SchemaError):
        order_with(amountIn=amount)


def test_an_amount_beyond_uint256_is_refused() -> None:
    assert order_with(nonce=UINT256_MAX).nonce == UINT256_MAX
    with pytest.raises(SchemaError):
        order_with(nonce=UINT256_MAX + 1)


def test_the_typed_order_has_checksummed_addresses_and_the_same_numbers() -> None:
    order = to_order(order_with(nonce="0xff", counter="2"))
    assert order.owner == "0xABaBaBaBABabABabAbAbABAbABabababaBaBABaB"  # EIP-55 of OWNER
    assert (order.nonce, order.counter, order.amount_in) == (255, 2, 1_000)


@pytest.mark.parametrize("field", ["amountIn", "minAmountOut", "deadline", "counter"])
def test_a_number_above_int64_is_malformed_for_this_relayer(field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        to_order(order_with(**{field: 2**63}))
    assert refused.value.code == "MALFORMED_ORDER" and refused.value.status == 422
    assert to_order(order_with(**{field: 2**63 - 1}))
