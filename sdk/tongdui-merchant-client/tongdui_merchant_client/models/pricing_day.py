from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PricingDay")


@_attrs_define
class PricingDay:
    """
    Attributes:
        day (int): unix seconds at 00:00 UTC
        inflow (int): settlement units received by swaps into these points
        outflow (int): settlement units paid by swaps out of these points
        redeemed (int): points redeemed
        point_value (int): value in force at the day's end (0: not yet listed)
    """

    day: int
    inflow: int
    outflow: int
    redeemed: int
    point_value: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        day = self.day

        inflow = self.inflow

        outflow = self.outflow

        redeemed = self.redeemed

        point_value = self.point_value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "day": day,
                "inflow": inflow,
                "outflow": outflow,
                "redeemed": redeemed,
                "pointValue": point_value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        day = d.pop("day")

        inflow = d.pop("inflow")

        outflow = d.pop("outflow")

        redeemed = d.pop("redeemed")

        point_value = d.pop("pointValue")

        pricing_day = cls(
            day=day,
            inflow=inflow,
            outflow=outflow,
            redeemed=redeemed,
            point_value=point_value,
        )

        pricing_day.additional_properties = d
        return pricing_day

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
