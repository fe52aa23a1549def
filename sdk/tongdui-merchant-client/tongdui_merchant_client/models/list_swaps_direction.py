from typing import Literal

ListSwapsDirection = Literal["both", "in", "out"]

LIST_SWAPS_DIRECTION_VALUES: set[ListSwapsDirection] = {
    "both",
    "in",
    "out",
}


def check_list_swaps_direction(value: str) -> ListSwapsDirection:
    if value in LIST_SWAPS_DIRECTION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_SWAPS_DIRECTION_VALUES!r}")
