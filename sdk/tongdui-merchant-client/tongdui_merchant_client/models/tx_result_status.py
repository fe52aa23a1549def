from typing import Literal

TxResultStatus = Literal["mined", "pending"]

TX_RESULT_STATUS_VALUES: set[TxResultStatus] = {
    "mined",
    "pending",
}


def check_tx_result_status(value: str) -> TxResultStatus:
    if value in TX_RESULT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TX_RESULT_STATUS_VALUES!r}")
