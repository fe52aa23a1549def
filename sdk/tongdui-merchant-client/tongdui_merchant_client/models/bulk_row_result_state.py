from typing import Literal

BulkRowResultState = Literal["failed", "issued", "pending", "sent"]

BULK_ROW_RESULT_STATE_VALUES: set[BulkRowResultState] = {
    "failed",
    "issued",
    "pending",
    "sent",
}


def check_bulk_row_result_state(value: str) -> BulkRowResultState:
    if value in BULK_ROW_RESULT_STATE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {BULK_ROW_RESULT_STATE_VALUES!r}")
