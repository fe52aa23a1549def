from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SalesPoint")


@_attrs_define
class SalesPoint:
    """
    Attributes:
        day (str):
        sales (int): vouchers sold
        sales_value (int): fen of their prices
        redemptions (int):
        redemptions_value (int):
        breakage (int): vouchers expired unused
        breakage_value (int):
    """

    day: str
    sales: int
    sales_value: int
    redemptions: int
    redemptions_value: int
    breakage: int
    breakage_value: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        day = self.day

        sales = self.sales

        sales_value = self.sales_value

        redemptions = self.redemptions

        redemptions_value = self.redemptions_value

        breakage = self.breakage

        breakage_value = self.breakage_value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "day": day,
                "sales": sales,
                "salesValue": sales_value,
                "redemptions": redemptions,
                "redemptionsValue": redemptions_value,
                "breakage": breakage,
                "breakageValue": breakage_value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        day = d.pop("day")

        sales = d.pop("sales")

        sales_value = d.pop("salesValue")

        redemptions = d.pop("redemptions")

        redemptions_value = d.pop("redemptionsValue")

        breakage = d.pop("breakage")

        breakage_value = d.pop("breakageValue")

        sales_point = cls(
            day=day,
            sales=sales,
            sales_value=sales_value,
            redemptions=redemptions,
            redemptions_value=redemptions_value,
            breakage=breakage,
            breakage_value=breakage_value,
        )

        sales_point.additional_properties = d
        return sales_point

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
