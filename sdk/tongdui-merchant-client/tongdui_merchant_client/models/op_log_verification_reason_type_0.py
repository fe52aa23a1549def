from typing import Literal

OpLogVerificationReasonType0 = Literal["gap", "hash", "prev_hash"]

OP_LOG_VERIFICATION_REASON_TYPE_0_VALUES: set[OpLogVerificationReasonType0] = {
    "gap",
    "hash",
    "prev_hash",
}


def check_op_log_verification_reason_type_0(value: str) -> OpLogVerificationReasonType0:
    if value in OP_LOG_VERIFICATION_REASON_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {OP_LOG_VERIFICATION_REASON_TYPE_0_VALUES!r}")
