from typing import Literal

InterceptionCountOutcome = Literal["held", "refused", "refused_on_review", "released"]

INTERCEPTION_COUNT_OUTCOME_VALUES: set[InterceptionCountOutcome] = {
    "held",
    "refused",
    "refused_on_review",
    "released",
}


def check_interception_count_outcome(value: str) -> InterceptionCountOutcome:
    if value in INTERCEPTION_COUNT_OUTCOME_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {INTERCEPTION_COUNT_OUTCOME_VALUES!r}")
