from typing import Literal

HeldRequestSubject = Literal["gift", "order"]

HELD_REQUEST_SUBJECT_VALUES: set[HeldRequestSubject] = {
    "gift",
    "order",
}


def check_held_request_subject(value: str) -> HeldRequestSubject:
    if value in HELD_REQUEST_SUBJECT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {HELD_REQUEST_SUBJECT_VALUES!r}")
