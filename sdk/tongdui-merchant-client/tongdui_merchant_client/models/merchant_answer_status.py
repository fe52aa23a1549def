from typing import Literal

MerchantAnswerStatus = Literal["active", "none", "suspended"]

MERCHANT_ANSWER_STATUS_VALUES: set[MerchantAnswerStatus] = {
    "active",
    "none",
    "suspended",
}


def check_merchant_answer_status(value: str) -> MerchantAnswerStatus:
    if value in MERCHANT_ANSWER_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MERCHANT_ANSWER_STATUS_VALUES!r}")
