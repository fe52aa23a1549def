from typing import Literal

PricingReasonCode = Literal[
    "CLAMPED_TO_BOUNDS",
    "COVER_ADEQUATE",
    "COVER_HIGH",
    "COVER_LOW",
    "COVER_NONE",
    "COVER_OPPOSES",
    "FLOWS_BALANCED",
    "NET_INFLOW",
    "NET_OUTFLOW",
    "NO_SWAPS",
    "REDEMPTIONS",
    "WAIT_UNTIL",
]

PRICING_REASON_CODE_VALUES: set[PricingReasonCode] = {
    "CLAMPED_TO_BOUNDS",
    "COVER_ADEQUATE",
    "COVER_HIGH",
    "COVER_LOW",
    "COVER_NONE",
    "COVER_OPPOSES",
    "FLOWS_BALANCED",
    "NET_INFLOW",
    "NET_OUTFLOW",
    "NO_SWAPS",
    "REDEMPTIONS",
    "WAIT_UNTIL",
}


def check_pricing_reason_code(value: str) -> PricingReasonCode:
    if value in PRICING_REASON_CODE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PRICING_REASON_CODE_VALUES!r}")
