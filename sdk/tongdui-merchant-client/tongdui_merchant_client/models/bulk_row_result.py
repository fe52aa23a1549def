from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.bulk_row_result_state import BulkRowResultState, check_bulk_row_result_state
from ..types import UNSET, Unset

T = TypeVar("T", bound="BulkRowResult")


@_attrs_define
class BulkRowResult:
    """
    Attributes:
        line (int):
        idempotency_key (str):
        address (str):
        amount (int):
        state (BulkRowResultState):
        tx_hash (None | str | Unset):
        block_number (int | None | Unset):
        error_code (None | str | Unset):
        error (None | str | Unset):
    """

    line: int
    idempotency_key: str
    address: str
    amount: int
    state: BulkRowResultState
    tx_hash: None | str | Unset = UNSET
    block_number: int | None | Unset = UNSET
    error_code: None | str | Unset = UNSET
    error: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        line = self.line

        idempotency_key = self.idempotency_key

        address = self.address

        amount = self.amount

        state: str = self.state

        tx_hash: None | str | Unset
        if isinstance(self.tx_hash, Unset):
            tx_hash = UNSET
        else:
            tx_hash = self.tx_hash

        block_number: int | None | Unset
        if isinstance(self.block_number, Unset):
            block_number = UNSET
        else:
            block_number = self.block_number

        error_code: None | str | Unset
        if isinstance(self.error_code, Unset):
            error_code = UNSET
        else:
            error_code = self.error_code

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "line": line,
                "idempotencyKey": idempotency_key,
                "address": address,
                "amount": amount,
                "state": state,
            }
        )
        if tx_hash is not UNSET:
            field_dict["txHash"] = tx_hash
        if block_number is not UNSET:
            field_dict["blockNumber"] = block_number
        if error_code is not UNSET:
            field_dict["errorCode"] = error_code
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        line = d.pop("line")

        idempotency_key = d.pop("idempotencyKey")

        address = d.pop("address")

        amount = d.pop("amount")

        state = check_bulk_row_result_state(d.pop("state"))

        def _parse_tx_hash(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tx_hash = _parse_tx_hash(d.pop("txHash", UNSET))

        def _parse_block_number(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        block_number = _parse_block_number(d.pop("blockNumber", UNSET))

        def _parse_error_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error_code = _parse_error_code(d.pop("errorCode", UNSET))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        bulk_row_result = cls(
            line=line,
            idempotency_key=idempotency_key,
            address=address,
            amount=amount,
            state=state,
            tx_hash=tx_hash,
            block_number=block_number,
            error_code=error_code,
            error=error,
        )

        bulk_row_result.additional_properties = d
        return bulk_row_result

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
