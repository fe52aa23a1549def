from typing import Literal

EndpointRequestEventTypesItem = Literal[
    "order.rejected", "points.issued", "points.redeemed", "risk.intercepted", "swap.in", "swap.out"
]

ENDPOINT_REQUEST_EVENT_TYPES_ITEM_VALUES: set[EndpointRequestEventTypesItem] = {
    "order.rejected",
    "points.issued",
    "points.redeemed",
    "risk.intercepted",
    "swap.in",
    "swap.out",
}


def check_endpoint_request_event_types_item(value: str) -> EndpointRequestEventTypesItem:
    if value in ENDPOINT_REQUEST_EVENT_TYPES_ITEM_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ENDPOINT_REQUEST_EVENT_TYPES_ITEM_VALUES!r}")
