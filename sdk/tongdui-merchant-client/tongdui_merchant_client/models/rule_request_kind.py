from typing import Literal

RuleRequestKind = Literal["amount", "blocklist", "cooling", "velocity_address", "velocity_member"]

RULE_REQUEST_KIND_VALUES: set[RuleRequestKind] = {
    "amount",
    "blocklist",
    "cooling",
    "velocity_address",
    "velocity_member",
}


def check_rule_request_kind(value: str) -> RuleRequestKind:
    if value in RULE_REQUEST_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RULE_REQUEST_KIND_VALUES!r}")
