from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RedemptionFields")


@_attrs_define
class RedemptionFields:
    """
    Attributes:
        voucher_id (int | str):
        holder (str):
        deadline (int | str):
    """

    voucher_id: int | str
    holder: str
    deadline: int | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        voucher_id: int | str
        voucher_id = self.voucher_id

        holder = self.holder

        deadline: int | str
        deadline = self.deadline

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "voucherId": voucher_id,
                "holder": holder,
                "deadline": deadline,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_voucher_id(data: object) -> int | str:
            return cast(int | str, data)

        voucher_id = _parse_voucher_id(d.pop("voucherId"))

        holder = d.pop("holder")

        def _parse_deadline(data: object) -> int | str:
            return cast(int | str, data)

        deadline = _parse_deadline(d.pop("deadline"))

        redemption_fields = cls(
            voucher_id=voucher_id,
            holder=holder,
            deadline=deadline,
        )

        redemption_fields.additional_properties = d
        return redemption_fields

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
