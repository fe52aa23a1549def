from typing import Literal

PointsTxStatus = Literal["mined", "pending"]

POINTS_TX_STATUS_VALUES: set[PointsTxStatus] = {
    "mined",
    "pending",
}


def check_points_tx_status(value: str) -> PointsTxStatus:
    if value in POINTS_TX_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {POINTS_TX_STATUS_VALUES!r}")
