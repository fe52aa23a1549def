from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.sales_point import SalesPoint


T = TypeVar("T", bound="SalesSeries")


@_attrs_define
class SalesSeries:
    """
    Attributes:
        token (str):
        period (str):
        points (list[SalesPoint]):
    """

    token: str
    period: str
    points: list[SalesPoint]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        token = self.token

        period = self.period

        points = []
        for points_item_data in self.points:
            points_item = points_item_data.to_dict()
            points.append(points_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "token": token,
                "period": period,
                "points": points,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sales_point import SalesPoint  # noqa: PLC0415

        d = dict(src_dict)
        token = d.pop("token")

        period = d.pop("period")

        points = []
        _points = d.pop("points")
        for points_item_data in _points:
            points_item = SalesPoint.from_dict(points_item_data)

            points.append(points_item)

        sales_series = cls(
            token=token,
            period=period,
            points=points,
        )

        sales_series.additional_properties = d
        return sales_series

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
