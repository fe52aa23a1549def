from typing import Literal

OperatorRequestRole = Literal["admin", "cashier", "issuer", "viewer"]

OPERATOR_REQUEST_ROLE_VALUES: set[OperatorRequestRole] = {
    "admin",
    "cashier",
    "issuer",
    "viewer",
}


def check_operator_request_role(value: str) -> OperatorRequestRole:
    if value in OPERATOR_REQUEST_ROLE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {OPERATOR_REQUEST_ROLE_VALUES!r}")
