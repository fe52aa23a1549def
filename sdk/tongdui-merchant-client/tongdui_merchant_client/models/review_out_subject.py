from typing import Literal

ReviewOutSubject = Literal["gift", "order"]

REVIEW_OUT_SUBJECT_VALUES: set[ReviewOutSubject] = {
    "gift",
    "order",
}


def check_review_out_subject(value: str) -> ReviewOutSubject:
    if value in REVIEW_OUT_SUBJECT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REVIEW_OUT_SUBJECT_VALUES!r}")
