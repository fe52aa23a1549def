from typing import Literal

MerchantSwapDirection = Literal["in", "out"]

MERCHANT_SWAP_DIRECTION_VALUES: set[MerchantSwapDirection] = {
    "in",
    "out",
}


def check_merchant_swap_direction(value: str) -> MerchantSwapDirection:
    if value in MERCHANT_SWAP_DIRECTION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MERCHANT_SWAP_DIRECTION_VALUES!r}")
