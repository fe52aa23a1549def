from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="QuoteOut")


@_attrs_define
class QuoteOut:
    """
    Attributes:
        points_in (int): points of payWith to sign for
        cash_amount (int): fen to pay in cash (0: points pay it all)
        points_available (int | None | Unset):
        cash_needed (int | Unset): fen the points leave to pay ("¥20 more") Default: 0.
    """

    points_in: int
    cash_amount: int
    points_available: int | None | Unset = UNSET
    cash_needed: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        points_in = self.points_in

        cash_amount = self.cash_amount

        points_available: int | None | Unset
        if isinstance(self.points_available, Unset):
            points_available = UNSET
        else:
            points_available = self.points_available

        cash_needed = self.cash_needed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "pointsIn": points_in,
                "cashAmount": cash_amount,
            }
        )
        if points_available is not UNSET:
            field_dict["pointsAvailable"] = points_available
        if cash_needed is not UNSET:
            field_dict["cashNeeded"] = cash_needed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        points_in = d.pop("pointsIn")

        cash_amount = d.pop("cashAmount")

        def _parse_points_available(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        points_available = _parse_points_available(d.pop("pointsAvailable", UNSET))

        cash_needed = d.pop("cashNeeded", UNSET)

        quote_out = cls(
            points_in=points_in,
            cash_amount=cash_amount,
            points_available=points_available,
            cash_needed=cash_needed,
        )

        quote_out.additional_properties = d
        return quote_out

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
