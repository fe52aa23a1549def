from typing import Literal

MemberPointsTxStatus = Literal["mined", "pending"]

MEMBER_POINTS_TX_STATUS_VALUES: set[MemberPointsTxStatus] = {
    "mined",
    "pending",
}


def check_member_points_tx_status(value: str) -> MemberPointsTxStatus:
    if value in MEMBER_POINTS_TX_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MEMBER_POINTS_TX_STATUS_VALUES!r}")
