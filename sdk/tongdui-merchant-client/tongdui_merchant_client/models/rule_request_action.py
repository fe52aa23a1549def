from typing import Literal

RuleRequestAction = Literal["hold", "refuse"]

RULE_REQUEST_ACTION_VALUES: set[RuleRequestAction] = {
    "hold",
    "refuse",
}


def check_rule_request_action(value: str) -> RuleRequestAction:
    if value in RULE_REQUEST_ACTION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RULE_REQUEST_ACTION_VALUES!r}")
