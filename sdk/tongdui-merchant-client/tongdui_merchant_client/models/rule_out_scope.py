from typing import Literal

RuleOutScope = Literal["consortium", "merchant"]

RULE_OUT_SCOPE_VALUES: set[RuleOutScope] = {
    "consortium",
    "merchant",
}


def check_rule_out_scope(value: str) -> RuleOutScope:
    if value in RULE_OUT_SCOPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RULE_OUT_SCOPE_VALUES!r}")
