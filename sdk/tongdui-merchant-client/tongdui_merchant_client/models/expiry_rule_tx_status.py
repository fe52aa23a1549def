from typing import Literal

ExpiryRuleTxStatus = Literal["mined", "pending"]

EXPIRY_RULE_TX_STATUS_VALUES: set[ExpiryRuleTxStatus] = {
    "mined",
    "pending",
}


def check_expiry_rule_tx_status(value: str) -> ExpiryRuleTxStatus:
    if value in EXPIRY_RULE_TX_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {EXPIRY_RULE_TX_STATUS_VALUES!r}")
