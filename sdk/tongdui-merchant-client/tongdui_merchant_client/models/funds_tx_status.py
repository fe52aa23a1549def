from typing import Literal

FundsTxStatus = Literal["mined", "pending"]

FUNDS_TX_STATUS_VALUES: set[FundsTxStatus] = {
    "mined",
    "pending",
}


def check_funds_tx_status(value: str) -> FundsTxStatus:
    if value in FUNDS_TX_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {FUNDS_TX_STATUS_VALUES!r}")
