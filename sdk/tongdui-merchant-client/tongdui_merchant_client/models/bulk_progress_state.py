from typing import Literal

BulkProgressState = Literal["done", "running"]

BULK_PROGRESS_STATE_VALUES: set[BulkProgressState] = {
    "done",
    "running",
}


def check_bulk_progress_state(value: str) -> BulkProgressState:
    if value in BULK_PROGRESS_STATE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {BULK_PROGRESS_STATE_VALUES!r}")
