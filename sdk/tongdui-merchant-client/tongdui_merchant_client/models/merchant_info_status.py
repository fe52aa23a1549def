from typing import Literal

MerchantInfoStatus = Literal["active", "none", "suspended"]

MERCHANT_INFO_STATUS_VALUES: set[MerchantInfoStatus] = {
    "active",
    "none",
    "suspended",
}


def check_merchant_info_status(value: str) -> MerchantInfoStatus:
    if value in MERCHANT_INFO_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MERCHANT_INFO_STATUS_VALUES!r}")
