from typing import Literal

ReviewRequestDecision = Literal["refuse", "release"]

REVIEW_REQUEST_DECISION_VALUES: set[ReviewRequestDecision] = {
    "refuse",
    "release",
}


def check_review_request_decision(value: str) -> ReviewRequestDecision:
    if value in REVIEW_REQUEST_DECISION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REVIEW_REQUEST_DECISION_VALUES!r}")
