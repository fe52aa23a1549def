from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.merchant_info import MerchantInfo


T = TypeVar("T", bound="MerchantList")


@_attrs_define
class MerchantList:
    """
    Attributes:
        merchants (list[MerchantInfo]):
        block_number (int):
    """

    merchants: list[MerchantInfo]
    block_number: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        merchants = []
        for merchants_item_data in self.merchants:
            merchants_item = merchants_item_data.to_dict()
            merchants.append(merchants_item)

        block_number = self.block_number

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "merchants": merchants,
                "blockNumber": block_number,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.merchant_info import MerchantInfo  # noqa: PLC0415

        d = dict(src_dict)
        merchants = []
        _merchants = d.pop("merchants")
        for merchants_item_data in _merchants:
            merchants_item = MerchantInfo.from_dict(merchants_item_data)

            merchants.append(merchants_item)

        block_number = d.pop("blockNumber")

        merchant_list = cls(
            merchants=merchants,
            block_number=block_number,
        )

        merchant_list.additional_properties = d
        return merchant_list

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
