from typing import Literal

PointValueTxStatus = Literal["mined", "pending"]

POINT_VALUE_TX_STATUS_VALUES: set[PointValueTxStatus] = {
    "mined",
    "pending",
}


def check_point_value_tx_status(value: str) -> PointValueTxStatus:
    if value in POINT_VALUE_TX_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {POINT_VALUE_TX_STATUS_VALUES!r}")
